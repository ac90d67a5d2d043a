"""No text an event carries may hold U+0000 (shared.messaging.nul_text). PostgreSQL cannot
store it: such an event was refused by each consumer's database and dead-lettered with the
driver's "invalid byte sequence", which named no field. Now it is refused where it is read,
and the dead-letter reason names the field that held it, in a typed field or a JSON one."""

import json
from typing import Any
from uuid import uuid4

import pytest

from shared.contracts import EVENT_TYPES, EventData
from shared.messaging.cloudevents import MalformedEvent, from_record
from shared.messaging.nul_text import nul_path
from tests.unit import event_examples as examples


def record(event: EventData, change: dict[str, Any]) -> tuple[dict[str, str], bytes]:
    value = {**event.model_dump(mode="json"), **change}
    headers = {
        "ce_specversion": "1.0",
        "ce_id": str(uuid4()),
        "ce_source": "/elsewhere",
        "ce_type": event.event_type,
        "ce_time": "2022-05-20T02:00:00Z",
    }
    return headers, json.dumps(value).encode()


@pytest.mark.parametrize(
    ("event", "change", "field"),
    [
        (examples.unit(), {"name": "Công đoàn\u0000 Khí"}, "name"),
        (examples.submitted(), {"title": "\u0000"}, "title"),
        (
            examples.submitted(),
            {"authors": [{"member_id": "m-1", "full_name": "An\u0000", "share_percent": 100}]},
            "authors.0.full_name",
        ),
        (examples.rejected(), {"reason": "Trùng\u0000"}, "reason"),
        # Inside the campaign file, which the contract carries as any JSON object.
        (
            examples.campaign(),
            {"definition": {"code": "2022", "title": "\u0000"}},
            "definition.title",
        ),
        (examples.report(), {"figures": {"a\u0000": 1}}, "figures.a\u0000"),
    ],
)
def test_text_holding_nul_is_refused_naming_its_field(
    event: EventData, change: dict[str, Any], field: str
) -> None:
    headers, value = record(event, change)
    with pytest.raises(MalformedEvent) as refused:
        from_record(headers, value, EVENT_TYPES)
    assert str(refused.value) == (
        f"data holds the NUL character (U+0000) at {field}, which no database here stores"
    )


def test_the_same_text_without_it_is_read() -> None:
    headers, value = record(examples.unit(), {"name": "Công đoàn Khí"})
    envelope = from_record(headers, value, EVENT_TYPES)
    assert envelope is not None and envelope.data.model_dump()["name"] == "Công đoàn Khí"


def test_text_that_only_spells_the_escape_is_read() -> None:
    # A backslash then "u0000", as a person may type it: no NUL in the text.
    headers, value = record(examples.unit(), {"name": "Công đoàn \\u0000"})
    envelope = from_record(headers, value, EVENT_TYPES)
    assert envelope is not None and envelope.data.model_dump()["name"] == "Công đoàn \\u0000"


def test_a_record_nested_past_what_can_be_read_is_refused_not_raised() -> None:
    # The bytes "u0000" anywhere, and nesting deep enough for json.loads to raise
    # RecursionError: it raised out of the consumer's decoding, and the poll came back
    # for ever. Refused by pydantic's bounded parser first, it is dead-lettered.
    headers, _ = record(examples.unit(), {})
    value = b'{"name":"u0000","x":' + b"[" * 5000 + b"]" * 5000 + b"}"
    with pytest.raises(MalformedEvent):
        from_record(headers, value, EVENT_TYPES)


def test_nul_is_found_however_deep_it_stands() -> None:
    deep: dict[str, Any] = {"v": "a\u0000"}
    for _ in range(500):
        deep = {"k": deep}
    assert nul_path(json.dumps(deep).encode()) == ".".join(["k"] * 500 + ["v"])
