"""The dead letter's example, made by the code that makes dead letters.

A recorded event whose data lost a required field is read by the consumer's own decoding
(`cloudevents.from_record`), and the refusal it raises is parked by the dead-letter writer's
own header function: the reason and error class are the ones a consumer really writes.
"""

import json
from dataclasses import dataclass
from typing import Any

from shared.contracts.asyncapi.examples import RecordedEvent
from shared.contracts.catalogue import EVENT_TYPES
from shared.contracts.initiatives import InitiativeSubmitted
from shared.messaging.cloudevents import MalformedEvent, from_record, header_map
from shared.messaging.dead_letters import IncomingRecord, dead_letter_headers
from shared.messaging.failures import error_class

BROKEN_FIELD = "title"
CONSUMER = "reporting"


@dataclass(frozen=True)
class DeadLetterExample:
    summary: str
    headers: dict[str, str]
    payload: Any


def dead_letter_example(examples: dict[str, RecordedEvent]) -> DeadLetterExample:
    original = examples[InitiativeSubmitted.event_type]
    payload = {name: value for name, value in original.value.items() if name != BROKEN_FIELD}
    value = json.dumps(payload, ensure_ascii=False).encode()
    try:
        from_record(original.headers, value, EVENT_TYPES)
    except MalformedEvent as error:
        record = IncomingRecord(
            topic=original.topic,
            partition=0,
            offset=0,
            key=original.key.encode(),
            value=value,
            headers=tuple((name, text.encode()) for name, text in original.headers.items()),
        )
        headers = dead_letter_headers(record, str(error), error_class(error), CONSUMER)
        return DeadLetterExample(
            summary=f"{CONSUMER} refused an {InitiativeSubmitted.__name__} without its "
            f"{BROKEN_FIELD} (the recorded event, the field removed).",
            headers=header_map(headers),
            payload=payload,
        )
    raise AssertionError(f"the consumer accepted an initiative without its {BROKEN_FIELD}")
