"""A service's event handlers at work without a broker.

The handlers are the ones the service's definition subscribes (`define(...).subscriptions`),
never a list copied here, so a subscription added, removed or rewired is what the tests see.
They write to an in-memory SQLite database holding the service's own tables, created from its
metadata. An event goes either straight to its handler, in a transaction of its own
(`apply`), or as a Kafka record through the service's real `EventConsumer` (`deliver`),
which applies each event id once; what the consumer would dead-letter is kept in a list.
"""

import contextlib
from collections.abc import AsyncIterator, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

from prometheus_client import CollectorRegistry
from sqlalchemy import Table, select
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine
from sqlalchemy.pool import StaticPool
from sqlmodel import SQLModel

from shared.contracts.base import EventData
from shared.db import create_engine, session_factory
from shared.messaging.cloudevents import Envelope, new_envelope, to_record
from shared.messaging.consumer import EventConsumer
from shared.messaging.dead_letters import DeadLetters, IncomingRecord
from shared.metrics import MessagingMetrics
from shared.service_app import ServiceDefinition
from tests.support.subscriptions import handlers_of

TRACE = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


def envelope(data: EventData, at: datetime, event_id: UUID | None = None) -> Envelope[Any]:
    """`data` as an event recorded at `at` (its time orders versions in the projections)."""
    return Envelope(
        id=event_id or uuid4(),
        source="/tests/handlers",
        time=at.astimezone(UTC),
        subject="test",
        traceparent=TRACE,
        data=data,
    )


class ParkedRecords(DeadLetters):
    """The dead-letter topic as a list: what the consumer parked, with the reason."""

    def __init__(self) -> None:  # no producer: nothing leaves the process
        self.topic = "dead-letters"
        self.parked: list[tuple[IncomingRecord, str, str]] = []

    async def park(self, record: IncomingRecord, reason: str, error_class: str) -> None:
        self.parked.append((record, reason, error_class))


class Handlers:
    """One service's subscriptions on a database of its own."""

    def __init__(self, service: ServiceDefinition, sessions: async_sessionmaker[Any]) -> None:
        self.service = service
        self.sessions = sessions
        self.handlers = handlers_of(service)
        self.dead_letters = ParkedRecords()
        self.consumer = EventConsumer(
            service.subscriptions,
            sessions,
            service.messaging.processed_events,
            self.dead_letters,
            MessagingMetrics.create(service.name, CollectorRegistry()),
            retry_delay=0,
            before_commit=service.before_commit,
        )
        self._offset = 0

    async def apply(self, *events: Envelope[Any]) -> None:
        """Each event straight to the handler its type is subscribed to, one transaction each
        (as when each comes in a batch of its own)."""
        for event in events:
            async with self.sessions() as session, session.begin():
                await self.handlers[type(event.data)](event, session)

    async def deliver(self, *events: Envelope[Any]) -> None:
        """The events as one batch of Kafka records through the service's consumer, which
        skips an event id it has applied before."""
        records = []
        for event in events:
            record = to_record(event)
            records.append(
                IncomingRecord(
                    record.topic, 0, self._offset, record.key, record.value, record.headers
                )
            )
            self._offset += 1
        await self.consumer.consume_batch(records)

    async def rows(self, model: type[SQLModel]) -> list[Any]:
        """Every row of one of the service's tables (as ORM objects, detached)."""
        async with self.sessions() as session:
            return list((await session.scalars(select(model))).all())

    async def snapshot(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every row of every table of the service, but the consumer's own record of the event
        ids it applied: what an event's effect is read from."""
        tables: Sequence[Table] = self.service.messaging.processed_events.metadata.sorted_tables
        seen: dict[str, list[tuple[Any, ...]]] = {}
        async with self.sessions() as session:
            for table in tables:
                if table is self.service.messaging.processed_events:
                    continue
                rows = (await session.execute(select(table))).all()
                seen[table.name] = sorted((tuple(row) for row in rows), key=repr)
        return seen


@contextlib.asynccontextmanager
async def handlers_on_sqlite(service: ServiceDefinition) -> AsyncIterator[Handlers]:
    """The service's handlers on a new in-memory SQLite database (one connection, kept for
    the test: each connection to ":memory:" would be a database of its own), its tables made
    from the service's metadata (the one its migrations are checked against)."""
    engine = create_async_engine("sqlite+aiosqlite://", poolclass=StaticPool)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(service.messaging.processed_events.metadata.create_all)
        yield Handlers(service, session_factory(engine))
    finally:
        await engine.dispose()


async def fill_database(
    service: ServiceDefinition, events: Iterable[EventData], *rows: SQLModel
) -> None:
    """The service's database (at its settings' URL, migrated) holding `rows`, then what its
    own handlers make of `events`, applied in order in one transaction, as the consumer would."""
    handlers = handlers_of(service)
    engine = create_engine(service.settings.database_url)
    try:
        async with session_factory(engine)() as session:
            session.add_all(rows)
            for data in events:
                await handlers[type(data)](
                    new_envelope(data, source="tests", subject="2022"), session
                )
            await session.commit()
    finally:
        await engine.dispose()
