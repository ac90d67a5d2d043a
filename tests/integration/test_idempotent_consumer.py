"""The consumer on real PostgreSQL and Kafka: applied once by event id, malformed parked."""

from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import func
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.reporting.handlers import initiative as project_initiative
from services.reporting.tables import messaging
from shared.contracts import InitiativeSubmitted
from shared.messaging.cloudevents import new_envelope
from shared.messaging.consumer import EventConsumer
from shared.messaging.dead_letters import IncomingRecord
from tests.support.databases import DatabaseFactory
from tests.support.kafka_probe import headers_of, read_topic
from tests.support.reporting_consumer import count_for, incoming, reporting_consumer, submitted


@pytest.fixture
async def consumer(kafka: str, databases: DatabaseFactory) -> AsyncIterator[EventConsumer]:
    async with reporting_consumer(kafka, databases, project_initiative) as consumer:
        yield consumer


async def test_an_event_delivered_twice_is_applied_once(consumer: EventConsumer) -> None:
    envelope = new_envelope(submitted("PVPOWER", 500), source="/t", subject="s")
    await consumer.consume(incoming(envelope, offset=1))
    await consumer.consume(incoming(envelope, offset=2))  # redelivered, e.g. after a rebalance
    assert await count_for(consumer, "PVPOWER") == (1, 500)


async def test_an_event_twice_in_one_batch_is_applied_once(consumer: EventConsumer) -> None:
    envelope = new_envelope(submitted("PVD", 300), source="/t", subject="s")
    await consumer.consume_batch([incoming(envelope, offset=1), incoming(envelope, offset=2)])
    assert await count_for(consumer, "PVD") == (1, 300)
    duplicates = consumer._metrics.events_duplicate.labels(
        topic="thidua.initiatives.v1", event_type=InitiativeSubmitted.event_type
    )
    assert duplicates._value.get() == 1


async def test_a_failing_effect_leaves_no_trace_and_succeeds_when_retried(
    consumer: EventConsumer,
) -> None:
    envelope = new_envelope(submitted("PVOIL", 700), source="/t", subject="s")
    calls = 0

    async def fails_once(event: Any, session: AsyncSession) -> None:
        nonlocal calls
        calls += 1
        await project_initiative(event, session)
        if calls == 1:
            raise ConnectionError("database went away mid-transaction")

    consumer._handlers = {InitiativeSubmitted.event_type: fails_once}
    with pytest.raises(ConnectionError):
        await consumer.consume(incoming(envelope))
    assert await count_for(consumer, "PVOIL") == (0, 0)  # rolled back with its processed mark
    await consumer.consume(incoming(envelope))
    assert await count_for(consumer, "PVOIL") == (1, 700)


async def test_a_malformed_message_is_parked_with_its_reason_and_the_next_one_applied(
    kafka: str, consumer: EventConsumer
) -> None:
    good = incoming(new_envelope(submitted("PVCFC"), source="/t", subject="s"))
    bad = IncomingRecord(good.topic, 0, 41, b"k", b"{not json", good.headers)

    await consumer.consume(bad)
    await consumer.consume(good)

    assert await count_for(consumer, "PVCFC") == (1, 1_000_000)
    parked = await read_topic(kafka, consumer._dead_letters.topic, until=lambda r: len(r) >= 1)
    headers = headers_of(parked[0])
    assert parked[0].value == b"{not json"
    assert headers["dlq_reason"].startswith("value is not JSON")
    assert headers["dlq_original_topic"] == good.topic
    assert headers["dlq_original_offset"] == "41"


async def test_processed_events_record_each_event_once(consumer: EventConsumer) -> None:
    envelopes = [new_envelope(submitted("PVEP"), source="/t", subject="s") for _ in range(3)]
    for envelope in envelopes + envelopes:
        await consumer.consume(incoming(envelope))
    async with consumer._sessions() as session:
        processed = await session.scalar(
            select(func.count()).select_from(messaging.processed_events)
        )
    assert processed == 3
    assert await count_for(consumer, "PVEP") == (3, 3_000_000)
