"""Dead-letter publishing: a message we cannot read or apply is parked, never dropped."""

from dataclasses import dataclass

from aiokafka import AIOKafkaProducer
from aiokafka.errors import (
    MessageSizeTooLargeError,
    RecordListTooLargeError,
    RecordTooLargeError,
)

from shared.contracts.topics import dead_letter_topic

REASON_MAX = 500
"""A dead letter's reason, in characters at most: it is a Kafka header, and must not carry
back the value it quotes (a 900 KB title, a 125 KB `ce_id`), which made the copy larger than
the broker takes."""


@dataclass(frozen=True)
class IncomingRecord:
    """What a consumer needs of a Kafka record, independent of the client library."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes
    headers: tuple[tuple[str, bytes], ...]

    @property
    def size(self) -> int:
        """Its key, value and headers, in bytes."""
        headers = sum(len(name) + len(value or b"") for name, value in self.headers)
        return len(self.key or b"") + len(self.value) + headers


class DeadLetters:
    def __init__(self, producer: AIOKafkaProducer, consumer: str) -> None:
        self._producer = producer
        self._consumer = consumer
        self.topic = dead_letter_topic(consumer)

    async def park(self, record: IncomingRecord, reason: str, error_class: str) -> None:
        """Copy the record, byte for byte, to the dead-letter topic with where it came from,
        why it was refused and the error's class; returns once the broker has it.

        A record too large to copy (one just under the broker's limit, which the `dlq_*`
        headers push over it) is parked bare instead: no key, an empty value, none of its
        headers, and the reason saying so. It stays readable where it was, at the topic,
        partition and offset the headers give, for that topic's retention. Refusing to park
        it would leave the consumer retrying it for ever, behind it every later record."""
        try:
            await self._send(record, reason, error_class)
        except (MessageSizeTooLargeError, RecordListTooLargeError, RecordTooLargeError):
            bare = IncomingRecord(record.topic, record.partition, record.offset, None, b"", ())
            note = (
                f"parked bare, without its key, value and headers ({record.size} bytes: the "
                f"copy is over the broker's message size; read it at its original topic, "
                f"partition and offset): {reason}"
            )
            await self._send(bare, note, error_class)

    async def _send(self, record: IncomingRecord, reason: str, error_class: str) -> None:
        await self._producer.send_and_wait(
            self.topic,
            value=record.value,
            key=record.key,
            headers=dead_letter_headers(record, reason, error_class, self._consumer),
        )


def bounded_reason(reason: str) -> str:
    """The reason as a dead letter carries it: `REASON_MAX` characters at the most."""
    return reason if len(reason) <= REASON_MAX else reason[: REASON_MAX - 3] + "..."


def dead_letter_headers(
    record: IncomingRecord, reason: str, error_class: str, consumer: str
) -> list[tuple[str, bytes]]:
    """The parked record's own headers, then the dlq_* ones saying why and where from (the
    AsyncAPI document describes these, from this function)."""
    return [
        *record.headers,
        ("dlq_reason", bounded_reason(reason).encode()),
        ("dlq_error_class", error_class.encode()),
        ("dlq_consumer", consumer.encode()),
        ("dlq_original_topic", record.topic.encode()),
        ("dlq_original_partition", str(record.partition).encode()),
        ("dlq_original_offset", str(record.offset).encode()),
    ]
