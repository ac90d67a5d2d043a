"""A consumer of `initiative submitted` on reporting's tables, on real PostgreSQL and Kafka, for
the tests of the consumer itself: the events it is given and what it counts."""

import contextlib
from collections.abc import AsyncIterator
from typing import Any
from uuid import uuid4

from prometheus_client import CollectorRegistry
from sqlmodel import select

from services.reporting.tables import InitiativeView, messaging, metadata
from shared.contracts import InitiativeSubmitted
from shared.contracts.topics import dead_letter_topic
from shared.db import create_engine, session_factory
from shared.messaging.cloudevents import to_record
from shared.messaging.consumer import EventConsumer, Handler, Subscription
from shared.messaging.dead_letters import DeadLetters, IncomingRecord
from shared.messaging.producer import create_dead_letter_producer
from shared.metrics import MessagingMetrics
from tests.support.databases import DatabaseFactory
from tests.support.infrastructure import create_topic
from tests.unit.event_examples import submitted as example


def submitted(unit: str, benefit: int = 1_000_000) -> InitiativeSubmitted:
    """A new initiative of `unit`'s worth `benefit`."""
    return example(initiative_id=uuid4(), unit_code=unit, expected_benefit_vnd=benefit)


def incoming(envelope: Any, offset: int = 0) -> IncomingRecord:
    record = to_record(envelope)
    return IncomingRecord(record.topic, 0, offset, record.key, record.value, record.headers)


@contextlib.asynccontextmanager
async def reporting_consumer(
    kafka: str, databases: DatabaseFactory, handler: Handler, *more: Subscription
) -> AsyncIterator[EventConsumer]:
    """A consumer of `initiative submitted` applying `handler` to reporting's tables on a
    PostgreSQL database of its own, parking on a dead-letter topic of its own; `more`: what
    else it subscribes to."""
    engine = create_engine(await databases.create("consumer"))
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    parking = f"test-{uuid4().hex[:8]}"
    await create_topic(kafka, dead_letter_topic(parking))  # the broker creates none on first use
    producer = create_dead_letter_producer(kafka, "test-consumer")
    await producer.start()
    try:
        yield EventConsumer(
            [Subscription(InitiativeSubmitted, handler), *more],
            session_factory(engine),
            messaging.processed_events,
            DeadLetters(producer, parking),
            MessagingMetrics.create("t", CollectorRegistry()),
            retry_delay=0,
        )
    finally:
        await producer.stop()
        await engine.dispose()


async def count_for(consumer: EventConsumer, unit: str) -> tuple[int, int]:
    async with consumer._sessions() as session:
        rows = (
            await session.exec(select(InitiativeView).where(InitiativeView.unit_code == unit))
        ).all()
        return len(rows), sum(row.expected_benefit_vnd for row in rows)
