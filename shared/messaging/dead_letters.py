"""Dead-letter publishing: a message we cannot read or apply is parked, never dropped."""

from dataclasses import dataclass

from aiokafka import AIOKafkaProducer

from shared.contracts.topics import dead_letter_topic


@dataclass(frozen=True)
class IncomingRecord:
    """What a consumer needs of a Kafka record, independent of the client library."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes
    headers: tuple[tuple[str, bytes], ...]


class DeadLetters:
    def __init__(self, producer: AIOKafkaProducer, consumer: str) -> None:
        self._producer = producer
        self._consumer = consumer
        self.topic = dead_letter_topic(consumer)

    async def park(self, record: IncomingRecord, reason: str, error_class: str) -> None:
        """Copy the record, byte for byte, to the dead-letter topic with where it came from,
        why it was refused and the error's class; returns once the broker has it."""
        await self._producer.send_and_wait(
            self.topic,
            value=record.value,
            key=record.key,
            headers=dead_letter_headers(record, reason, error_class, self._consumer),
        )


def dead_letter_headers(
    record: IncomingRecord, reason: str, error_class: str, consumer: str
) -> list[tuple[str, bytes]]:
    """The parked record's own headers, then the dlq_* ones saying why and where from (the
    AsyncAPI document describes these, from this function)."""
    return [
        *record.headers,
        ("dlq_reason", reason.encode()),
        ("dlq_error_class", error_class.encode()),
        ("dlq_consumer", consumer.encode()),
        ("dlq_original_topic", record.topic.encode()),
        ("dlq_original_partition", str(record.partition).encode()),
        ("dlq_original_offset", str(record.offset).encode()),
    ]
