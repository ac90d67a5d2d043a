import json

import pytest

from shared.contracts import EVENT_TYPES, InitiativeRecognised
from shared.messaging.cloudevents import (
    MalformedEvent,
    from_record,
    header_map,
    new_envelope,
    to_record,
)
from tests.unit.event_examples import NOW, decision, report, submitted


def test_record_carries_cloudevents_binary_mode_headers_and_data_as_value() -> None:
    envelope = new_envelope(submitted(), source="/thidua/submissions", subject="abc")
    record = to_record(envelope)
    headers = header_map(record.headers)

    assert record.topic == "thidua.initiatives.v1"
    assert record.key == b"abc"
    assert headers["ce_specversion"] == "1.0"
    assert headers["ce_id"] == str(envelope.id)
    assert headers["ce_type"] == "vn.congdoandaukhi.thidua.initiative.submitted.v1"
    assert headers["ce_source"] == "/thidua/submissions"
    assert headers["ce_time"].endswith("Z")
    assert headers["content-type"] == "application/json"
    assert headers["traceparent"].startswith("00-")
    assert json.loads(record.value)["unit_code"] == "PVGAS"


def test_record_round_trips_to_an_equal_event() -> None:
    envelope = new_envelope(submitted(), source="/thidua/submissions", subject="abc")
    record = to_record(envelope)
    decoded = from_record(header_map(record.headers), record.value, EVENT_TYPES)
    assert decoded == envelope


def test_a_type_we_do_not_consume_is_ignored_not_refused() -> None:
    record = to_record(new_envelope(submitted(), source="/x", subject="abc"))
    headers = header_map(record.headers) | {"ce_type": "vn.example.something.else.v1"}
    assert from_record(headers, record.value, EVENT_TYPES) is None


def test_a_consumer_accepts_fields_added_by_a_newer_minor_version() -> None:
    record = to_record(new_envelope(submitted(), source="/x", subject="abc"))
    value = json.dumps(json.loads(record.value) | {"added_later": 1}).encode()
    assert from_record(header_map(record.headers), value, EVENT_TYPES) is not None


@pytest.mark.parametrize(
    ("change_headers", "value", "reason"),
    [
        ({"ce_specversion": "0.3"}, None, "ce_specversion"),
        ({"ce_id": ""}, None, "missing header ce_id"),
        ({"ce_id": "not-a-uuid"}, None, "ce_id is not a UUID"),
        ({"ce_time": "yesterday"}, None, "ce_time is not RFC 3339"),
        # ISO 8601, not RFC 3339: no offset, so no instant (reporting failed on it, retried).
        ({"ce_time": "2022-11-15T08:00:00"}, None, "ce_time has no UTC offset"),
        ({"ce_time": "2022-11-15"}, None, "ce_time has no UTC offset"),
        ({"content-type": "text/plain"}, None, "content-type"),
        ({}, b"{not json", "value is not JSON"),
        # Not UTF-8 (a consumer once raised UnicodeDecodeError on it and took the poll again,
        # forever), and UTF-8 behind a byte-order mark (JSON has none): parked with the reason.
        ({}, b'{"title": "\xff"}', "value is not JSON"),
        ({}, b'\xef\xbb\xbf{"title": "x"}', "value is not JSON"),
        ({}, b'{"title": "x"}', "initiative_id"),
    ],
)
def test_a_malformed_message_is_refused_with_the_reason(
    change_headers: dict[str, str], value: bytes | None, reason: str
) -> None:
    record = to_record(new_envelope(submitted(), source="/x", subject="abc"))
    headers = header_map(record.headers) | change_headers
    with pytest.raises(MalformedEvent, match=reason):
        from_record(headers, value if value is not None else record.value, EVENT_TYPES)


def test_headers_are_text_whichever_way_they_come_and_a_bad_byte_is_replaced() -> None:
    headers = (("ce_type", b"initiative.submitted.v1"), ("x-note", "Đã nộp".encode()))
    expected = {"ce_type": "initiative.submitted.v1", "x-note": "Đã nộp"}

    assert header_map(headers) == header_map(list(headers)) == expected
    assert header_map(expected) == expected
    # Not UTF-8: kept, with the replacement character, and the other headers as they are.
    assert header_map((("ce_id", b"\xff1"), ("ce_type", b"t"))) == {
        "ce_id": "\ufffd1",
        "ce_type": "t",
    }
    # Null (Kafka allows a header without a value): empty, as if it were absent.
    assert header_map((("ce_id", None), ("ce_type", b"t"))) == {"ce_id": "", "ce_type": "t"}


@pytest.mark.parametrize("number", [b"NaN", b"Infinity", b"-Infinity", b"1e999"])
def test_a_number_that_is_none_is_refused_naming_its_field(number: bytes) -> None:
    """JSON has no NaN nor infinity, yet parsers read them: scoring parked such a report while
    reporting summed what it could of it, and the two showed other progress."""
    for event, name, field in (
        (report(NOW, activities_implemented=95.0), b"95.0", "figures.activities_implemented"),
        (decision(InitiativeRecognised, weighted_score=8.5), b"8.5", "weighted_score"),
    ):
        record = to_record(new_envelope(event, source="/x", subject="abc"))
        assert record.value.count(name) == 1
        value = record.value.replace(name, number)
        with pytest.raises(MalformedEvent, match=f"{field}: .*finite"):
            from_record(header_map(record.headers), value, EVENT_TYPES)
