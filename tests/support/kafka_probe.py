"""Reading and writing topics directly, as an independent Kafka client would."""

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Sequence
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer


@contextlib.asynccontextmanager
async def _from_the_beginning(bootstrap: str, topic: str) -> AsyncIterator[AIOKafkaConsumer]:
    """A consumer of `topic` from its first record, in no group, committing nothing."""
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest", enable_auto_commit=False
    )
    await consumer.start()
    try:
        yield consumer
    finally:
        await consumer.stop()


async def _read_more(consumer: AIOKafkaConsumer, records: list[Any]) -> None:
    """What the consumer fetches within half a second, added to `records`."""
    batches = await consumer.getmany(timeout_ms=500)
    for batch in batches.values():
        records.extend(batch)


async def read_topic(
    bootstrap: str,
    topic: str,
    until: Callable[[list[Any]], bool],
    timeout: float = 30.0,
) -> list[Any]:
    """All records of `topic` from the beginning, once `until(records)` holds.

    Raises TimeoutError, with what was read, if it does not hold in time."""
    records: list[Any] = []
    async with _from_the_beginning(bootstrap, topic) as consumer:
        try:
            async with asyncio.timeout(timeout):
                while not until(records):
                    await _read_more(consumer, records)
        except TimeoutError as error:
            message = f"{topic}: condition not met; read {len(records)} records"
            raise TimeoutError(message) from error
    return records


async def read_to_end(bootstrap: str, topic: str, timeout: float = 30.0) -> list[Any]:
    """Every record of `topic` up to the end it had when asked (all its partitions)."""
    records: list[Any] = []
    async with _from_the_beginning(bootstrap, topic) as consumer, asyncio.timeout(timeout):
        # No group: every partition, once the metadata is in (aiokafka offers no event).
        while not (partitions := consumer.assignment()):  # noqa: ASYNC110
            await asyncio.sleep(0.05)
        ends = await consumer.end_offsets(list(partitions))
        while [p for p in partitions if await consumer.position(p) < ends[p]]:
            await _read_more(consumer, records)
    return records


async def produce(
    bootstrap: str,
    topic: str,
    messages: Sequence[tuple[bytes | None, bytes, Sequence[tuple[str, bytes | None]]]],
) -> None:
    """Send (key, value, headers) messages in order and wait for the broker to have them (a
    header may be null: Kafka allows it)."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=True)
    await producer.start()
    try:
        for key, value, headers in messages:
            await producer.send_and_wait(topic, value=value, key=key, headers=list(headers))
    finally:
        await producer.stop()


def headers_of(record: Any) -> dict[str, str]:
    return {name: value.decode() for name, value in record.headers or ()}
