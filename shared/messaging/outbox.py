"""Transactional outbox: events are rows written with the state change, published after commit.

`Outbox.add` writes the event in the caller's transaction; when that transaction commits the
relay is woken and publishes pending rows in the order they were written, marking each as
published once the broker acknowledged it. A crash between publishing and marking publishes
the event again on restart, with the same id: consumers skip it by id.
"""

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from aiokafka import AIOKafkaProducer
from sqlalchemy import Row, Table, event, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.contracts.base import EventData
from shared.messaging.cloudevents import Envelope, to_record
from shared.metrics import MessagingMetrics
from shared.upsert import dialect_insert

log = logging.getLogger(__name__)


class OutboxRelay:
    def __init__(
        self,
        table: Table,
        sessions: async_sessionmaker[Any],
        producer: AIOKafkaProducer,
        metrics: MessagingMetrics,
        *,
        poll_interval: float = 0.5,
        batch_size: int = 200,
    ) -> None:
        self._table = table
        self._sessions = sessions
        self._producer = producer
        self._metrics = metrics
        self._poll_interval = poll_interval
        self._batch_size = batch_size
        self._wake = asyncio.Event()

    def notify(self) -> None:
        """Called after a commit that wrote outbox rows: publish now, not at the next poll."""
        self._wake.set()

    async def run(self) -> None:
        failures = 0
        while True:
            # Cleared before reading, so a commit notified while we publish is not missed.
            self._wake.clear()
            try:
                published = await self.publish_pending()
                failures = 0
            except Exception:
                failures += 1
                self._metrics.outbox_publish_failures.inc()
                log.exception("outbox relay failed; retrying", extra={"failures": failures})
                await asyncio.sleep(min(30.0, self._poll_interval * 2**failures))
                continue
            if published < self._batch_size:
                # Polling covers rows written by another process of the same service.
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=self._poll_interval)

    async def publish_pending(self) -> int:
        """Publish one batch of pending rows in order; return how many were published."""
        async with self._sessions() as session:
            rows = await self._lock_pending_batch(session)
            if rows:
                try:
                    await self._send_in_order(rows)
                except Exception as error:
                    await session.rollback()
                    await self._record_failure(rows, error)
                    raise
                await session.execute(
                    update(self._table)
                    .where(self._table.c.id.in_([row.id for row in rows]))
                    .values(published_at=datetime.now(UTC), attempts=self._table.c.attempts + 1)
                )
            pending = await session.scalar(
                select(func.count())
                .select_from(self._table)
                .where(self._table.c.published_at.is_(None))
            )
            await session.commit()
        self._metrics.outbox_pending.set(pending or 0)
        for row in rows:
            self._metrics.outbox_published.labels(topic=row.topic).inc()
        return len(rows)

    async def _lock_pending_batch(self, session: AsyncSession) -> Sequence[Row[Any]]:
        query = (
            select(self._table)
            .where(self._table.c.published_at.is_(None))
            .order_by(self._table.c.id)
            .limit(self._batch_size)
        )
        if session.get_bind().dialect.name == "postgresql":
            # Two relays of one service (two replicas) never send the same rows at once.
            query = query.with_for_update(skip_locked=True)
        return (await session.execute(query)).all()

    async def _send_in_order(self, rows: Sequence[Row[Any]]) -> None:
        # send() appends to the producer's buffer in call order, so the idempotent producer
        # keeps the table's order on each partition while the whole batch is in flight.
        deliveries = [
            await self._producer.send(
                row.topic,
                value=row.payload.encode(),
                key=row.message_key.encode(),
                headers=[(name, value.encode()) for name, value in row.headers.items()],
            )
            for row in rows
        ]
        await asyncio.gather(*deliveries)

    async def _record_failure(self, rows: Sequence[Row[Any]], error: Exception) -> None:
        # Kept for operators (attempts, last_error); the rows stay pending and are retried.
        async with self._sessions() as session, session.begin():
            await session.execute(
                update(self._table)
                .where(self._table.c.id.in_([row.id for row in rows]))
                .values(attempts=self._table.c.attempts + 1, last_error=repr(error)[:2000])
            )


class Outbox:
    """Writes events into the caller's transaction and wakes the relay when it commits."""

    def __init__(self, table: Table, relay: OutboxRelay | None = None) -> None:
        self._table = table
        self._relay = relay

    async def add(self, session: AsyncSession, *envelopes: Envelope[EventData]) -> None:
        # The outbox, the relay and the consumers keep the machine's time, not the campaign's
        # (shared.clock): their times order deliveries, whatever year the campaign plays.
        now = datetime.now(UTC)
        # An event whose id is derived from what it states (cloudevents.stable_id) and that is
        # already in the outbox is the same statement: it is published once.
        await session.execute(
            dialect_insert(session, self._table).on_conflict_do_nothing(
                index_elements=["event_id"]
            ),
            [_row(envelope, now) for envelope in envelopes],
        )
        if self._relay is not None:
            relay = self._relay
            event.listen(session.sync_session, "after_commit", lambda _: relay.notify(), once=True)


def _row(envelope: Envelope[EventData], now: datetime) -> dict[str, Any]:
    record = to_record(envelope)
    return {
        "event_id": envelope.id,
        "event_type": envelope.type,
        "topic": record.topic,
        "message_key": record.key.decode(),
        "headers": {name: value.decode() for name, value in record.headers},
        "payload": record.value.decode(),
        "created_at": now,
    }
