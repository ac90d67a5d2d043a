"""The consumer on real PostgreSQL and Kafka: applied once by event id, malformed parked."""

import contextlib
from collections.abc import AsyncIterator
from typing import Any
from uuid import uuid4

import pytest
from prometheus_client import CollectorRegistry
from sqlalchemy import func
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.reporting.handlers import initiative as project_initiative
from services.reporting.tables import InitiativeView, messaging, metadata
from shared.contracts import InitiativeSubmitted
from shared.contracts.topics import dead_letter_topic
from shared.db import create_engine, session_factory
from shared.messaging.cloudevents import new_envelope, to_record
from shared.messaging.consumer import EventConsumer, Handler, Subscription
from shared.messaging.dead_letters import DeadLetters, IncomingRecord
from shared.messaging.producer import create_producer
from shared.metrics import MessagingMetrics
from tests.support.databases import DatabaseFactory
from tests.support.infrastructure import create_topic
from tests.support.kafka_probe import headers_of, read_topic
from tests.unit.event_examples import submitted as example


def submitted(unit: str, benefit: int = 1_000_000) -> InitiativeSubmitted:
    """A new initiative of `unit`'s worth `benefit`."""
    return example(initiative_id=uuid4(), unit_code=unit, expected_benefit_vnd=benefit)


def incoming(envelope: Any, offset: int = 0) -> IncomingRecord:
    record = to_record(envelope)
    return IncomingRecord(record.topic, 0, offset, record.key, record.value, record.headers)


@contextlib.asynccontextmanager
async def reporting_consumer(
    kafka: str, databases: DatabaseFactory, handler: Handler
) -> AsyncIterator[EventConsumer]:
    """A consumer of `initiative submitted` applying `handler` to reporting's tables on a
    PostgreSQL database of its own, parking on a dead-letter topic of its own."""
    engine = create_engine(await databases.create("consumer"))
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    parking = f"test-{uuid4().hex[:8]}"
    await create_topic(kafka, dead_letter_topic(parking))  # the broker creates none on first use
    producer = create_producer(kafka, "test-consumer")
    await producer.start()
    try:
        yield EventConsumer(
            [Subscription(InitiativeSubmitted, handler)],
            session_factory(engine),
            messaging.processed_events,
            DeadLetters(producer, parking),
            MessagingMetrics.create("t", CollectorRegistry()),
            retry_delay=0,
        )
    finally:
        await producer.stop()
        await engine.dispose()


@pytest.fixture
async def consumer(kafka: str, databases: DatabaseFactory) -> AsyncIterator[EventConsumer]:
    async with reporting_consumer(kafka, databases, project_initiative) as consumer:
        yield consumer


async def count_for(consumer: EventConsumer, unit: str) -> tuple[int, int]:
    async with consumer._sessions() as session:
        rows = (
            await session.exec(select(InitiativeView).where(InitiativeView.unit_code == unit))
        ).all()
        return len(rows), sum(row.expected_benefit_vnd for row in rows)


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
