"""The notification rules (rules.yaml): which event tells whom, with which template."""

from enum import StrEnum
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, field_validator

from services.notifications.domain.templates import TRIGGERS
from shared.contracts.base import EVENT_TYPE_PREFIX
from shared.data_files import read_model

RULES_FILE = Path(__file__).with_name("rules.yaml")


class Audience(StrEnum):
    authors = "authors"
    unit_officers = "unit_officers"
    recipient = "recipient"
    federation_admins = "federation_admins"


class Rule(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    event: str
    template: str
    audience: tuple[Audience, ...]
    when: dict[str, str] = {}  # only an event whose data has these values (status: confirmed)

    @field_validator("template")
    @classmethod
    def known_template(cls, template: str) -> str:
        if template not in TRIGGERS:
            raise ValueError(f"no template {template!r} in templates.yaml")
        return template


class Rules(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    rules: tuple[Rule, ...]

    def for_event(self, event_type: str, data: object = None) -> list[Rule]:
        """The rules for the event (with its `data`: those whose `when` it matches)."""
        return [
            r
            for r in self.rules
            if EVENT_TYPE_PREFIX + r.event == event_type
            and (data is None or all(_value(data, k) == v for k, v in r.when.items()))
        ]


def _value(data: object, name: str) -> str | None:
    value = getattr(data, name, None)
    return None if value is None else str(value)


@cache
def load_rules(path: Path = RULES_FILE) -> Rules:
    return read_model(path, Rules)
