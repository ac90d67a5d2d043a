"""The outbox on real PostgreSQL and Kafka: what commits is published, in order, once."""

from collections.abc import AsyncIterator
from typing import Any, ClassVar
from uuid import uuid4

import pytest
from prometheus_client import CollectorRegistry
from sqlalchemy import MetaData, func, select
from sqlalchemy.ext.asyncio import async_sessionmaker

from shared.contracts.base import EventData
from shared.db import create_engine, session_factory
from shared.messaging.cloudevents import new_envelope
from shared.messaging.outbox import Outbox, OutboxRelay
from shared.messaging.producer import create_producer
from shared.messaging.tables import MessagingTables, add_messaging_tables
from shared.messaging.tracing import trace_scope
from shared.metrics import MessagingMetrics
from tests.support.databases import DatabaseFactory
from tests.support.infrastructure import create_topic
from tests.support.kafka_probe import headers_of, read_topic

TOPIC = f"thidua.test-outbox-{uuid4().hex[:8]}.v1"


class ProbeRecorded(EventData):
    event_type: ClassVar[str] = "vn.congdoandaukhi.thidua.test.probe.recorded.v1"
    topic: ClassVar[str] = TOPIC
    sequence: int


@pytest.fixture
async def outbox_db(
    databases: DatabaseFactory,
) -> AsyncIterator[tuple[MessagingTables, async_sessionmaker[Any]]]:
    metadata = MetaData()
    tables = add_messaging_tables(metadata)
    engine = create_engine(await databases.create("outbox"))
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    yield tables, session_factory(engine)
    await engine.dispose()


@pytest.fixture
async def relay(
    kafka: str, outbox_db: tuple[MessagingTables, async_sessionmaker[Any]]
) -> AsyncIterator[OutboxRelay]:
    tables, sessions = outbox_db
    await create_topic(kafka, TOPIC, partitions=3)  # the broker creates none on first use
    producer = create_producer(kafka, "test-outbox")
    await producer.start()
    metrics = MessagingMetrics.create("test", CollectorRegistry())
    yield OutboxRelay(tables.outbox, sessions, producer, metrics)
    await producer.stop()


async def test_committed_events_are_published_in_order_with_their_trace(
    kafka: str,
    outbox_db: tuple[MessagingTables, async_sessionmaker[Any]],
    relay: OutboxRelay,
) -> None:
    tables, sessions = outbox_db
    outbox = Outbox(tables.outbox, relay)
    subject = str(uuid4())
    incoming = "00-11112222333344445555666677778888-1111222233334444-01"
    with trace_scope(incoming):
        envelopes = [
            new_envelope(ProbeRecorded(sequence=n), source="/test", subject=subject)
            for n in range(5)
        ]
    async with sessions() as session, session.begin():
        await outbox.add(session, *envelopes)

    assert await relay.publish_pending() == 5
    assert await relay.publish_pending() == 0  # published once, not again

    # This test's records only: the module's other tests publish to TOPIC too, in any order.
    key = subject.encode()
    records = await read_topic(kafka, TOPIC, until=lambda r: sum(x.key == key for x in r) >= 5)
    records = [r for r in records if r.key == key]
    assert [headers_of(r)["ce_id"] for r in records] == [str(e.id) for e in envelopes]
    assert all(
        headers_of(r)["traceparent"].split("-")[1] == "11112222333344445555666677778888"
        for r in records
    )
    async with sessions() as session:
        pending = await session.scalar(
            select(func.count())
            .select_from(tables.outbox)
            .where(tables.outbox.c.published_at.is_(None))
        )
    assert pending == 0


async def test_a_rolled_back_transaction_publishes_nothing(
    outbox_db: tuple[MessagingTables, async_sessionmaker[Any]],
    relay: OutboxRelay,
) -> None:
    tables, sessions = outbox_db
    outbox = Outbox(tables.outbox, relay)
    with pytest.raises(RuntimeError):
        async with sessions() as session, session.begin():
            await outbox.add(
                session, new_envelope(ProbeRecorded(sequence=1), source="/t", subject="s")
            )
            raise RuntimeError("the state change failed")
    assert await relay.publish_pending() == 0


async def test_the_relay_wakes_on_commit_without_waiting_for_its_poll(
    kafka: str,
    outbox_db: tuple[MessagingTables, async_sessionmaker[Any]],
) -> None:
    import asyncio

    tables, sessions = outbox_db
    await create_topic(kafka, TOPIC, partitions=3)  # the broker creates none on first use
    producer = create_producer(kafka, "test-outbox-wake")
    await producer.start()
    relay = OutboxRelay(
        tables.outbox,
        sessions,
        producer,
        MessagingMetrics.create("w", CollectorRegistry()),
        poll_interval=3600,
    )
    running = asyncio.create_task(relay.run())
    try:
        await asyncio.sleep(0.2)
        envelope = new_envelope(ProbeRecorded(sequence=99), source="/t", subject=str(uuid4()))
        async with sessions() as session, session.begin():
            await Outbox(tables.outbox, relay).add(session, envelope)
        records = await read_topic(
            kafka,
            TOPIC,
            until=lambda r: any(headers_of(x)["ce_id"] == str(envelope.id) for x in r),
            timeout=20,
        )
        # With an hour-long poll, only the commit's wake-up can have published it in time.
        assert records
    finally:
        running.cancel()
        await producer.stop()
