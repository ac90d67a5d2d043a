"""The Kafka headers every event and every dead letter carries, described from the code.

The header names are not typed here from memory: `described_headers` asks the codec
(`cloudevents.to_record`) and the dead-letter writer (`dead_letters.dead_letter_headers`)
which headers they write for a real recorded event, and refuses to generate a document
that would describe other names than those.
"""

from collections.abc import Iterable
from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import ValidationError

from shared.contracts.asyncapi.examples import RecordedEvent
from shared.contracts.catalogue import EVENT_TYPES
from shared.messaging.cloudevents import (
    CONTENT_TYPE,
    SPEC_VERSION,
    Envelope,
    header_map,
    to_record,
)
from shared.messaging.dead_letters import REASON_MAX, IncomingRecord, dead_letter_headers

TRACEPARENT_PATTERN = "^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$"

CLOUD_EVENTS_HEADERS: dict[str, dict[str, Any]] = {
    "ce_specversion": {
        "type": "string",
        "const": SPEC_VERSION,
        "description": "CloudEvents specification version.",
    },
    "ce_id": {
        "type": "string",
        "format": "uuid",
        "description": "The event's id. Delivery is at least once: consumers deduplicate on "
        "it (the same id is the same event, also when a service publishes it again).",
    },
    "ce_source": {
        "type": "string",
        "pattern": "^/thidua/[a-z]+$",
        "description": "The producing service, `/thidua/<service>`.",
    },
    "ce_type": {
        "type": "string",
        "pattern": "^vn\\.congdoandaukhi\\.thidua\\.[a-z_.]+\\.v[0-9]+$",
        "description": "The event's type, `vn.congdoandaukhi.thidua.<name>.v<major>`: what "
        "the value's JSON Schema is. Route on it; ignore types you do not know.",
    },
    "ce_time": {
        "type": "string",
        "format": "date-time",
        "description": "When the event was recorded (RFC 3339, UTC, `Z`), on the machine's "
        "clock. When it happened in the campaign is in the data (`received_on`, "
        "`filed_on`, `decided_on` ...).",
    },
    "ce_subject": {
        "type": "string",
        "description": "The aggregate the event is about; equal to the record key.",
    },
    "content-type": {
        "type": "string",
        "const": CONTENT_TYPE,
        "description": "The value is the event's `data` as UTF-8 JSON (CloudEvents binary "
        "content mode).",
    },
    "traceparent": {
        "type": "string",
        "pattern": TRACEPARENT_PATTERN,
        "description": "W3C trace context: the trace id is the correlation id of the request "
        "that caused the event, through every event it caused.",
    },
}

DEAD_LETTER_HEADERS: dict[str, dict[str, Any]] = {
    "dlq_reason": {
        "type": "string",
        "description": "Why the record was refused (the attribute or field at fault, or the "
        f"database's or the handler's refusal), {REASON_MAX} characters at most. It starts "
        "`parked bare` when the copy would have been over the broker's message size: then the "
        "record's key, value and headers are left out (the value is empty) and it is read "
        "at its original topic, partition and offset.",
    },
    "dlq_error_class": {
        "type": "string",
        "description": "The error's class, e.g. `shared.messaging.cloudevents.MalformedEvent` "
        "(not a valid Thi Đua CloudEvent) or `sqlalchemy.exc.DataError`.",
    },
    "dlq_consumer": {
        "type": "string",
        "description": "The consuming service (consumer group) that parked it.",
    },
    "dlq_original_topic": {"type": "string", "description": "Where the record was read."},
    "dlq_original_partition": {
        "type": "string",
        "pattern": "^[0-9]+$",
        "description": "Its partition there, in decimal.",
    },
    "dlq_original_offset": {
        "type": "string",
        "pattern": "^[0-9]+$",
        "description": "Its offset there, in decimal: with the topic and partition, the "
        "record to read again once the cause is fixed.",
    },
}


def cloud_events_schema() -> dict[str, Any]:
    return _headers_schema(
        "CloudEvents 1.0 attributes as Kafka headers (Kafka protocol binding, binary content "
        "mode), each a UTF-8 string. Every header listed is always written.",
        CLOUD_EVENTS_HEADERS,
    )


def dead_letter_schema() -> dict[str, Any]:
    return _headers_schema(
        "The parked record's own headers, unchanged (for a Thi Đua event, the CloudEvents "
        "headers; a malformed record may lack them; a record parked bare has none), then the "
        "`dlq_*` headers.",
        DEAD_LETTER_HEADERS,
    )


def _headers_schema(description: str, headers: dict[str, Any]) -> dict[str, Any]:
    """A message's Kafka headers as a JSON Schema object: every one listed is required."""
    return {
        "type": "object",
        "description": description,
        "required": list(headers),
        "properties": headers,
    }


def written_event_headers(example: RecordedEvent) -> dict[str, str]:
    """The headers the codec writes today for the event this recording holds."""
    headers = example.headers
    envelope = Envelope(
        id=UUID(headers["ce_id"]),
        source=headers["ce_source"],
        time=datetime.fromisoformat(headers["ce_time"].replace("Z", "+00:00")),
        subject=example.key,
        traceparent=headers["traceparent"],
        data=EVENT_TYPES[headers["ce_type"]].model_validate(example.value),
    )
    return header_map(to_record(envelope).headers)


def check_described(examples: Iterable[RecordedEvent]) -> None:
    """Refuse to describe headers other than those the code writes, or to show a recorded
    example the codec would no longer write the same way (a drift, on either side)."""
    for example in examples:
        try:
            written = written_event_headers(example)
        except ValidationError as error:
            raise ValueError(
                f"{example.headers['ce_type']}: the recorded example no longer matches its "
                f"contract; record again (python -m shared.contracts.asyncapi.record): {error}"
            ) from error
        if list(written) != list(CLOUD_EVENTS_HEADERS) or written != example.headers:
            raise ValueError(
                f"{example.headers.get('ce_type')}: the codec writes {written}, the recording "
                f"has {example.headers}, the document describes {list(CLOUD_EVENTS_HEADERS)}"
            )
    parked = IncomingRecord("topic", 0, 0, None, b"", ())
    dlq = [name for name, _ in dead_letter_headers(parked, "reason", "error", "consumer")]
    if dlq != list(DEAD_LETTER_HEADERS):
        raise ValueError(
            f"dead letters carry {dlq}, the document describes {list(DEAD_LETTER_HEADERS)}"
        )
