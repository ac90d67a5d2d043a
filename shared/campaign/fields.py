"""The building blocks of the campaign file's models: text, names, codes, the base model.

Text is stored NFC (Vietnamese typed on some systems arrives decomposed), and the lengths of
what the services store in columns are checked after NFC, the form stored.
"""

import unicodedata
from typing import Annotated, Protocol, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

from shared.campaign.checks import Problems
from shared.contracts.bounds import CAMPAIGN_CODE_MAX, CAMPAIGN_TITLE_MAX, CODE_MAX, NAME_MAX


def _nfc(text: str) -> str:
    # Vietnamese typed on some systems arrives decomposed (a letter plus combining marks); the
    # plan's text is NFC, and equal names must compare equal.
    return unicodedata.normalize("NFC", text)


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1), AfterValidator(_nfc)]
"""Vietnamese text, with diacritics; surrounding whitespace (a YAML block's last newline)
is dropped."""


def _at_most(max_length: int) -> AfterValidator:
    """Checked after NFC, the form stored (the services' columns hold `max_length`)."""

    def check(text: str) -> str:
        if len(text) > max_length:
            raise PydanticCustomError(
                "string_too_long",
                "String should have at most {max_length} characters",
                {"max_length": max_length},
            )
        return text

    return AfterValidator(check)


# The limit before NFC states it (JSON Schema, the error people read); after NFC, it holds for
# what is stored (NFC of a few rare characters is longer than they are).
Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=NAME_MAX),
    AfterValidator(_nfc),
    _at_most(NAME_MAX),
]
"""Text the services store in a column of NAME_MAX (a phase's, a target's, an award's name)."""

Title = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=CAMPAIGN_TITLE_MAX),
    AfterValidator(_nfc),
    _at_most(CAMPAIGN_TITLE_MAX),
]

_CODE_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
Code = Annotated[str, StringConstraints(pattern=_CODE_PATTERN, max_length=CODE_MAX)]
"""A stable identifier: lowercase ASCII letters, digits and hyphens, e.g. `dot-1`. Codes are
what events and databases store, so they never change once a campaign is published."""

CampaignCode = Annotated[
    str, StringConstraints(pattern=_CODE_PATTERN, max_length=CAMPAIGN_CODE_MAX)
]


class Named(Protocol):
    """A part of the file shown to people by name: a movement, phase, review, target,
    criterion, award type or rule. `name` is the plan's Vietnamese; `name_en`, optional, the
    English a reader who chose English sees."""

    @property
    def name(self) -> str: ...

    @property
    def name_en(self) -> str | None: ...


def name_in(item: Named, lang: str) -> str:
    """`item`'s name in `lang` ('vi' or 'en'): its English name where the file gives one and
    English was chosen, its Vietnamese name otherwise."""
    return item.name_en or item.name if lang == "en" else item.name


class FileModel(BaseModel):
    """A part of the campaign file: frozen, and unknown (misspelt) keys are errors."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    def _check(self, problems: Problems) -> None:
        """Add the problems that only the part as a whole shows (a field's own rules are
        checked on the field): all of them are then reported at once."""

    @model_validator(mode="after")
    def _checked(self) -> Self:
        problems = Problems(type(self).__name__)
        self._check(problems)
        problems.raise_if_any()
        return self
