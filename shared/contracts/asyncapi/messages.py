"""Messages: each contract with its headers, payload, Kafka key and recorded example, and the
dead letter."""

from typing import Any

from shared.contracts.asyncapi.dead_letter_example import dead_letter_example
from shared.contracts.asyncapi.examples import RecordedEvent
from shared.contracts.asyncapi.schemas import KAFKA_BINDING, SCHEMAS, ref
from shared.contracts.asyncapi.wiring import source_of
from shared.contracts.base import EventData
from shared.contracts.topics import TopicSpec


def message(contract: type[EventData], topic: TopicSpec, example: RecordedEvent) -> dict[str, Any]:
    name = contract.__name__
    summary, _, details = (contract.__doc__ or name).strip().partition("\n\n")
    return {
        "name": name,
        "title": contract.event_type,
        "summary": " ".join(summary.split()),
        **({"description": details} if details else {}),
        "contentType": "application/json",
        "headers": {
            "allOf": [
                ref(SCHEMAS + "CloudEventsHeaders"),
                {
                    "type": "object",
                    "properties": {
                        "ce_type": {"const": contract.event_type},
                        "ce_source": {"const": source_of(topic.producer)},
                    },
                },
            ]
        },
        "payload": ref(SCHEMAS + name),
        "correlationId": ref("#/components/correlationIds/Trace"),
        "bindings": {
            "kafka": {
                "key": {"type": "string", "description": f"{topic.key}; equal to `ce_subject`."},
                "bindingVersion": KAFKA_BINDING,
            }
        },
        "examples": [
            {
                "name": "recorded",
                "summary": f"Sent by a real run on {example.topic}, key {example.key}.",
                "headers": example.headers,
                "payload": example.value,
            }
        ],
    }


def dead_letter_message(examples: dict[str, RecordedEvent]) -> dict[str, Any]:
    example = dead_letter_example(examples)
    return {
        "name": "DeadLetter",
        "title": "A parked record",
        "summary": "The original record, key and value byte for byte, with its own headers "
        "and the dlq_* headers naming why it was refused and where it came from.",
        "headers": ref(SCHEMAS + "DeadLetterHeaders"),
        "payload": {
            "description": "The original record's value, unchanged: usually an event's data "
            "as JSON, but whatever was refused (not JSON, not UTF-8) is kept as it came."
        },
        "bindings": {
            "kafka": {
                "key": {"type": "string", "description": "The original record's key."},
                "bindingVersion": KAFKA_BINDING,
            }
        },
        "examples": [
            {
                "name": "malformed",
                "summary": example.summary,
                "headers": example.headers,
                "payload": example.payload,
            }
        ],
    }
