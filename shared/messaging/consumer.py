"""Idempotent event consumption: each event's effect is applied once, by event id.

For every record: decode it (a malformed one goes to the dead-letter topic with the reason,
and consumption carries on); skip a type this service does not subscribe to; otherwise, in one
database transaction, record the event id in `processed_events` and apply the handler's effect.
A redelivered event finds its id already there and is skipped. The offset is committed only
after that transaction, so a consumer stopped in between gets the record again on restart.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

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

    @property
    def topics(self) -> list[str]:
        return sorted({contract.topic for contract in self._contracts.values()})

    async def consume(self, record: IncomingRecord) -> None:
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
                return
            if envelope is None:
                return  # a type this service does not subscribe to
            try:
                await self._apply_once(envelope, record)
            except Exception:
                # Not the message's fault (a database down, say): the offset is not
                # committed and the record comes again; the pause keeps it from spinning.
                log.exception("event handling failed; will retry", extra={"topic": record.topic})
                await asyncio.sleep(self._retry_delay)
                raise

    async def _apply_once(self, envelope: Envelope[Any], record: IncomingRecord) -> None:
        labels = {"topic": record.topic, "event_type": envelope.type}
        async with self._sessions() as session, session.begin():
            already = await session.scalar(
                select(self._processed.c.event_id).where(self._processed.c.event_id == envelope.id)
            )
            if already is not None:
                self._metrics.events_duplicate.labels(**labels).inc()
                log.info("duplicate event skipped")
                return
            await session.execute(
                self._processed.insert().values(
                    event_id=envelope.id,
                    event_type=envelope.type,
                    topic=record.topic,
                    partition=record.partition,
                    offset=record.offset,
                    processed_at=datetime.now(UTC),
                )
            )
            await self._handlers[envelope.type](envelope, session)
        self._metrics.events_processed.labels(**labels).inc()
        log.info("event applied", extra={"event_type": envelope.type})
