"""CloudEvents 1.0 over Kafka, binary content mode.

The record's value is the event's `data` as JSON; the attributes travel as `ce_*` headers
and `content-type`, so a downstream system can route on headers without knowing our code
(CloudEvents Kafka protocol binding, section 3.2). The key is the aggregate's id, which
keeps one aggregate's events in order on one partition.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Generic, TypeVar
from uuid import UUID, uuid4, uuid5

from pydantic import ValidationError

from shared.contracts.base import EventData
from shared.messaging.nul_text import nul_path
from shared.messaging.tracing import outgoing_traceparent

SPEC_VERSION = "1.0"
CONTENT_TYPE = "application/json"
D = TypeVar("D", bound=EventData)
# Covariant: an Envelope[InitiativeSubmitted] is an Envelope[EventData] (it is immutable).
D_co = TypeVar("D_co", bound=EventData, covariant=True)


class MalformedEvent(ValueError):
    """A message that is not a valid Thi Đua CloudEvent; the text says why."""


@dataclass(frozen=True)
class Envelope(Generic[D_co]):
    """One event with its CloudEvents attributes."""

    id: UUID
    source: str
    time: datetime
    subject: str
    traceparent: str
    data: D_co

    @property
    def type(self) -> str:
        """The CloudEvents `type` (the `ce_type` header), as the data's contract names it,
        with its version: `vn.congdoandaukhi.thidua.report.submitted.v1`."""
        return self.data.event_type

    @property
    def topic(self) -> str:
        return self.data.topic


# The namespace of ids derived from what an event is about (stable_id).
_STABLE_IDS = UUID("6f1d3c52-8a4e-5b7f-9c0d-2e3f4a5b6c7d")


def stable_id(*parts: object) -> UUID:
    """An event id derived from what the event states, for events a service may compute again
    (a rebuild replaying the topics, a close recomputed): the same statement gets the same id,
    so every consumer, idempotent by event id, applies it once."""
    return uuid5(_STABLE_IDS, "/".join(str(part) for part in parts))


def new_envelope(
    data: D, *, source: str, subject: str, event_id: UUID | None = None
) -> Envelope[D]:
    """Wrap `data` as a fresh event, continuing the current trace; a new id unless one is
    derived (stable_id).

    Its `time` is when the event was recorded, on the machine's clock, also in a simulated
    year: when it happened in the campaign is in its data (`received_on`, `filed_on`, ...)."""
    return Envelope(
        id=event_id or uuid4(),
        source=source,
        time=datetime.now(UTC),
        subject=subject,
        traceparent=outgoing_traceparent(),
        data=data,
    )


@dataclass(frozen=True)
class KafkaRecord:
    topic: str
    key: bytes
    value: bytes
    headers: tuple[tuple[str, bytes], ...]


def to_record(envelope: Envelope[EventData]) -> KafkaRecord:
    headers = {
        "ce_specversion": SPEC_VERSION,
        "ce_id": str(envelope.id),
        "ce_source": envelope.source,
        "ce_type": envelope.type,
        "ce_time": envelope.time.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "ce_subject": envelope.subject,
        "content-type": CONTENT_TYPE,
        "traceparent": envelope.traceparent,
    }
    return KafkaRecord(
        topic=envelope.topic,
        key=envelope.subject.encode(),
        value=envelope.data.model_dump_json().encode(),
        headers=tuple((name, value.encode()) for name, value in headers.items()),
    )


def header_text(value: bytes | str | None) -> str:
    """A Kafka header's value as text: a byte that is not UTF-8 replaced, a null value empty
    (as if the header were absent)."""
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return "" if value is None else str(value)


def header_map(
    headers: Sequence[tuple[str, bytes | None]] | Mapping[str, str],
) -> dict[str, str]:
    """Kafka headers as text; a header that is not UTF-8 is kept as a lossy string, a null
    one as empty (as if it were absent)."""
    if type(headers) is tuple:  # as a consumer gets them, for every record: the quick way
        try:
            return {name: value.decode() for name, value in headers}
        except (UnicodeDecodeError, AttributeError):
            pass  # one is not UTF-8 (or not bytes): each header is looked at below
    items = headers.items() if isinstance(headers, Mapping) else headers
    return {name: header_text(value) for name, value in items}


def from_record(
    headers: Mapping[str, str], value: bytes, catalogue: Mapping[str, type[EventData]]
) -> Envelope[EventData] | None:
    """The event in a record; None for a well-formed event of a type we do not consume.

    Raises MalformedEvent, naming the attribute or field at fault, for anything else.
    """
    if headers.get("ce_specversion") != SPEC_VERSION:
        raise MalformedEvent(
            f"ce_specversion must be {SPEC_VERSION!r}, got {headers.get('ce_specversion')!r}"
        )
    for required in ("ce_id", "ce_source", "ce_type", "ce_time"):
        if not headers.get(required):
            raise MalformedEvent(f"missing header {required}")
    content_type = headers.get("content-type", CONTENT_TYPE)
    if not content_type.startswith(CONTENT_TYPE):
        raise MalformedEvent(f"content-type must be {CONTENT_TYPE}, got {content_type!r}")
    try:
        event_id = UUID(headers["ce_id"])
    except ValueError as error:
        raise MalformedEvent(f"ce_id is not a UUID: {headers['ce_id']!r}") from error
    try:
        time = datetime.fromisoformat(headers["ce_time"].replace("Z", "+00:00"))
    except ValueError as error:
        raise MalformedEvent(f"ce_time is not RFC 3339: {headers['ce_time']!r}") from error
    if time.tzinfo is None:
        # RFC 3339 requires the offset; a local time of unknown zone is no instant, and the
        # consumers that compare it with aware times failed on it (retried, then parked).
        raise MalformedEvent(f"ce_time has no UTC offset (RFC 3339): {headers['ce_time']!r}")
    if time.year in (1, 9999):  # only there can an offset carry it past UTC's range
        try:
            # Well-formed, yet no UTC timestamp holds it (9999-12-31T23:59:59-01:00): every
            # consumer that stores it failed on it.
            time.astimezone(UTC)
        except OverflowError as error:
            raise MalformedEvent(f"ce_time is out of range: {headers['ce_time']!r}") from error
    contract = catalogue.get(headers["ce_type"])
    if contract is None:
        return None
    try:
        # Parsed and validated in one pass by pydantic-core: half the CPU of json.loads and
        # then validating the dict, on every record a consumer reads.
        data = contract.model_validate_json(value)
    except ValidationError as error:
        # The value as a whole (loc ()), not a field of it that is itself JSON text.
        invalid = [
            item["msg"]
            for item in error.errors()
            if item["type"] == "json_invalid" and not item["loc"]
        ]
        if invalid:
            raise MalformedEvent(f"value is not JSON: {invalid[0]}") from error
        raise MalformedEvent(
            f"data does not match {contract.__name__}: {first_errors(error)}"
        ) from error
    # Only once pydantic has read it: its parser bounds the nesting, which a hostile record
    # could otherwise make deep enough for json.loads to raise RecursionError here (a raise
    # that is not MalformedEvent, and would come back with every poll).
    where = nul_path(value)
    if where is not None:
        raise MalformedEvent(
            f"data holds the NUL character (U+0000) at {where}, which no database here stores"
        )
    return Envelope(
        id=event_id,
        source=headers["ce_source"],
        time=time,
        subject=headers.get("ce_subject", ""),
        traceparent=headers.get("traceparent", ""),
        data=data,
    )


def first_errors(error: ValidationError, limit: int = 3) -> str:
    """A validation error's first problems, `field.path: message`, as a dead-letter reason
    (a Kafka header) says them."""
    return "; ".join(
        f"{'.'.join(str(part) for part in item['loc']) or '(root)'}: {item['msg']}"
        for item in error.errors()[:limit]
    )
