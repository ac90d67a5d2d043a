"""Idempotent event consumption: each event's effect is applied once, by event id.

Records come in batches (what one poll returned). For a batch: decode every record (a
malformed one goes to the dead-letter topic with the reason, and consumption carries on);
skip types this service does not subscribe to; then, in ONE database transaction, skip the
events whose ids `processed_events` already holds, apply the others in order and record
their ids. The offsets are committed only after that transaction, so a consumer stopped in
between gets the batch again on restart and skips what it had applied.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from shared.contracts.base import EventData
from shared.messaging.cloudevents import Envelope, MalformedEvent, from_record, header_map
from shared.messaging.dead_letters import DeadLetters, IncomingRecord
from shared.messaging.tracing import trace_scope
from shared.metrics import MessagingMetrics

log = logging.getLogger(__name__)

Handler = Callable[[Envelope[Any], AsyncSession], Awaitable[None]]


@dataclass(frozen=True)
class Subscription:
    """One event type this service reacts to, and the handler that applies it."""

    contract: type[EventData]
    handler: Handler


@dataclass(frozen=True)
class _Decoded:
    envelope: Envelope[Any]
    record: IncomingRecord


class EventConsumer:
    def __init__(
        self,
        subscriptions: Sequence[Subscription],
        sessions: async_sessionmaker[Any],
        processed_events: Table,
        dead_letters: DeadLetters,
        metrics: MessagingMetrics,
        *,
        retry_delay: float = 1.0,
        on_commit: Callable[[], None] | None = None,
    ) -> None:
        self._handlers: Mapping[str, Handler] = {
            s.contract.event_type: s.handler for s in subscriptions
        }
        self._contracts = {s.contract.event_type: s.contract for s in subscriptions}
        self._sessions = sessions
        self._processed = processed_events
        self._dead_letters = dead_letters
        self._metrics = metrics
        self._retry_delay = retry_delay
        # Handlers may write to the outbox too (scoring proposes awards from an event): the
        # relay is woken once their batch is committed, as after an HTTP request.
        self._on_commit = on_commit

    @property
    def topics(self) -> list[str]:
        return sorted({contract.topic for contract in self._contracts.values()})

    async def consume(self, record: IncomingRecord) -> None:
        await self.consume_batch([record])

    async def consume_batch(self, records: Sequence[IncomingRecord]) -> None:
        decoded = [d for d in [await self._decode(r) for r in records] if d is not None]
        if not decoded:
            return
        try:
            applied = await self._apply_once(decoded)
        except Exception:
            # Not the messages' fault (a database down, say): the offsets are not committed
            # and the batch comes again; the pause keeps it from spinning.
            log.exception("event handling failed; will retry", extra={"events": len(decoded)})
            await asyncio.sleep(self._retry_delay)
            raise
        if applied and self._on_commit is not None:
            self._on_commit()
        # By identity: the records applied are these very objects (equality would compare
        # whole events, for every pair of a 500-record batch).
        applied_ids = {id(item) for item in applied}
        for item in decoded:
            labels = {"topic": item.record.topic, "event_type": item.envelope.type}
            counter = (
                self._metrics.events_processed
                if id(item) in applied_ids
                else self._metrics.events_duplicate
            )
            counter.labels(**labels).inc()

    async def _decode(self, record: IncomingRecord) -> _Decoded | None:
        headers = header_map(record.headers)
        with trace_scope(headers.get("traceparent"), event_id=headers.get("ce_id")):
            try:
                envelope = from_record(headers, record.value, self._contracts)
            except MalformedEvent as error:
                log.warning(
                    "malformed event dead-lettered: %s", error, extra={"topic": record.topic}
                )
                await self._dead_letters.park(record, str(error))
                self._metrics.events_dead_lettered.labels(topic=record.topic).inc()
                return None
        return None if envelope is None else _Decoded(envelope, record)

    async def _apply_once(self, batch: Sequence[_Decoded]) -> list[_Decoded]:
        """Apply, in one transaction, the events not applied before; return the records that
        were applied (the first of each event id: a batch may hold an event twice)."""
        applied: list[_Decoded] = []
        async with self._sessions() as session, session.begin():
            done = set(
                await session.scalars(
                    select(self._processed.c.event_id).where(
                        self._processed.c.event_id.in_([d.envelope.id for d in batch])
                    )
                )
            )
            for item in batch:
                envelope = item.envelope
                if envelope.id in done:
                    log.info("duplicate event skipped", extra={"event_id": str(envelope.id)})
                    continue
                with trace_scope(envelope.traceparent, event_id=str(envelope.id)):
                    await self._handlers[envelope.type](envelope, session)
                    log.info("event applied", extra={"event_type": envelope.type})
                done.add(envelope.id)
                applied.append(item)
            if applied:
                now = datetime.now(UTC)
                await session.execute(
                    self._processed.insert(),
                    [
                        {
                            "event_id": item.envelope.id,
                            "event_type": item.envelope.type,
                            "topic": item.record.topic,
                            "partition": item.record.partition,
                            "offset": item.record.offset,
                            "processed_at": now,
                        }
                        for item in applied
                    ],
                )
        return applied
