"""docs/asyncapi.yaml read as an integrator's consumer would read it: the YAML and a JSON
Schema validator, nothing of Thi Đua's code (no contracts, no codec)."""

import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft7Validator, FormatChecker
from jsonschema.exceptions import best_match
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

DOCUMENT = Path(__file__).resolve().parents[2] / "docs" / "asyncapi.yaml"
BASE = "urn:thidua:asyncapi"


@dataclass(frozen=True)
class Message:
    """One message of the document: its component name and definition."""

    name: str
    definition: dict[str, Any]

    @property
    def ce_type(self) -> str:
        const: str = self.definition["headers"]["allOf"][1]["properties"]["ce_type"]["const"]
        return const

    @property
    def example(self) -> dict[str, Any]:
        first: dict[str, Any] = self.definition["examples"][0]
        return first


class AsyncApiDocument:
    def __init__(self, path: Path = DOCUMENT) -> None:
        self.raw: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
        resource = Resource.from_contents(self.raw, default_specification=DRAFT7)
        self._registry: Registry[Any] = Registry().with_resource(BASE, resource)

    @cached_property
    def topics(self) -> dict[str, dict[str, Any]]:
        """Every channel, by its Kafka topic."""
        return {channel["address"]: channel for channel in self.raw["channels"].values()}

    def messages_on(self, topic: str) -> list[Message]:
        return [
            Message(name, self.raw["components"]["messages"][name])
            for name in self.topics[topic]["messages"]
        ]

    @cached_property
    def event_messages(self) -> dict[str, Message]:
        """Every event message (dead letters aside), by its CloudEvents type."""
        return {
            message.ce_type: message
            for topic in self.topics
            if not topic.endswith(".dlq")
            for message in self.messages_on(topic)
        }

    def receivers(self) -> dict[str, set[str]]:
        """Each consumer group and the message names it receives."""
        groups: dict[str, set[str]] = {}
        for operation in self.raw["operations"].values():
            if operation["action"] == "receive":
                group = operation["bindings"]["kafka"]["groupId"]["const"]
                names = {ref["$ref"].rsplit("/", 1)[-1] for ref in operation["messages"]}
                groups.setdefault(group, set()).update(names)
        return groups

    def record_errors(
        self, topic: str, key: str | None, headers: dict[str, str], value: str
    ) -> list[str]:
        """Why one record (as a stock client reads it: text headers, text value) is not what the
        document says of its topic; empty when it is."""
        channel = self.topics.get(topic)
        if channel is None:
            return [f"{topic}: a topic the document does not describe"]
        messages = self.messages_on(topic)
        if topic.endswith(".dlq"):
            found = [self.errors(messages[0], "headers", headers)]
            return [error for error in found if error]
        matching = [m for m in messages if m.ce_type == headers.get("ce_type")]
        if not matching:
            return [f"{topic}: ce_type {headers.get('ce_type')!r} is not a message of the topic"]
        message = matching[0]
        try:
            payload = json.loads(value)
        except json.JSONDecodeError as error:
            return [f"{message.name}: the value is not JSON ({error})"]
        found = [
            self.errors(message, "headers", headers),
            self.errors(message, "payload", payload),
            None
            if key == headers.get("ce_subject")
            else f"{message.name}: key {key!r} is not ce_subject {headers.get('ce_subject')!r}",
        ]
        return [error for error in found if error]

    def errors(self, message: Message, part: str, instance: Any) -> str | None:
        """Why `instance` is not a valid `part` ("headers", "payload") of `message`, or None."""
        pointer = f"{BASE}#/components/messages/{message.name}/{part}"
        validator = Draft7Validator(
            {"$ref": pointer}, registry=self._registry, format_checker=FormatChecker()
        )
        error = best_match(validator.iter_errors(instance))
        return None if error is None else f"{message.name}.{part}: {error.message}"
