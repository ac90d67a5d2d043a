"""Idempotent event consumption that never jams: each event's effect is applied once, by
event id, and a record that can never apply is parked, never retried forever.

Records come in batches (what one poll returned). For a batch: decode every record (a
malformed one goes to the dead-letter topic with the reason, and consumption carries on);
skip types this service does not subscribe to; then, in ONE database transaction per slice
(a poll is cut into slices that each take a few seconds: shared.messaging.pacing), record
the events' ids in `processed_events` (`ON CONFLICT DO NOTHING`: an id already there was
applied before, and is skipped), apply the newly recorded ones in order, and commit. The
offsets are committed only after the poll's last transaction, so a consumer stopped in
between gets the poll again on restart and skips what it had applied.

When the transaction fails, shared.messaging.failures says why:
- transient (the database away, a deadlock): that slice is not committed (the slices before
  it are); after a pause that grows while it lasts, the poll is delivered again, for as long
  as it takes, and skips the slices already applied;
- permanent (the database or the handler refuses the data): the batch is split in halves,
  each applied in its own transaction, in order, until the refused record stands alone; it
  is parked on the dead-letter topic with the reason and the error's class, and the rest of
  the batch is applied;
- unknown: retried here a few times, then treated as permanent.
"""

import asyncio
import logging
import time
from collections import Counter
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
from shared.messaging.failures import Failure, Refused, classify, describe, error_class
from shared.messaging.pacing import Pacer
from shared.messaging.processed import Delivered, record_processed
from shared.messaging.tracing import trace_scope
from shared.metrics import MessagingMetrics

log = logging.getLogger(__name__)

Handler = Callable[[Envelope[Any], AsyncSession], Awaitable[None]]
BatchHandler = Callable[[Sequence[Envelope[Any]], AsyncSession], Awaitable[None]]
BatchHook = Callable[[AsyncSession], Awaitable[None]]


@dataclass(frozen=True)
class Subscription:
    """One event type this service reacts to, and the handler that applies it.

    `batch`, when given, applies a run of consecutive events in one go, in their order, with
    set-based SQL; it must leave exactly what `handler` applied to each in turn leaves. The
    consumer hands it the longest runs of consecutive events whose subscriptions share that
    same batch handler (one callable may serve several types: scoring's facts), so the order
    within and across aggregates stays the batch's. `handler` stays: a batch the database
    refuses is bisected with it, one event at a time, to find the record to park."""

    contract: type[EventData]
    handler: Handler
    batch: BatchHandler | None = None


def one_at_a_time(batch: BatchHandler) -> Handler:
    """The per-event handler of a batch handler that takes a run of any length: the event as
    a run of one (what the consumer bisects with, when the database refuses a batch)."""

    async def handle(event: Envelope[Any], session: AsyncSession) -> None:
        await batch([event], session)

    return handle


def batched(contract: type[EventData], batch: BatchHandler) -> Subscription:
    """A subscription applied by its batch handler alone, one event being a run of one."""
    return Subscription(contract, one_at_a_time(batch), batch)


@dataclass(eq=False)
class _Decoded:
    envelope: Envelope[Any]
    record: IncomingRecord
    parked: bool = False  # refused by the database or the handler, and dead-lettered


class _Transient(Exception):
    """A signal from the apply step to consume_batch: retry the batch later."""

    def __init__(self, error: Exception) -> None:
        self.error = error


class _Refused(Exception):
    """A signal within the apply steps: the data is refused, isolate it."""

    def __init__(self, error: Exception) -> None:
        self.error = error


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
        max_retry_delay: float = 30.0,
        unknown_attempts: int = 3,
        on_commit: Callable[[], None] | None = None,
        before_commit: BatchHook | None = None,
        pacer: Pacer | None = None,
    ) -> None:
        self._handlers: Mapping[str, Handler] = {
            s.contract.event_type: s.handler for s in subscriptions
        }
        self._batches: Mapping[str, BatchHandler] = {
            s.contract.event_type: s.batch for s in subscriptions if s.batch is not None
        }
        self._contracts = {s.contract.event_type: s.contract for s in subscriptions}
        self._sessions = sessions
        self._processed = processed_events
        self._dead_letters = dead_letters
        self._metrics = metrics
        self._retry_delay, self._max_retry_delay = retry_delay, max_retry_delay
        self._unknown_attempts = max(1, unknown_attempts)
        self._transient_failures = 0  # in a row: the pause before the next delivery grows
        # Handlers may write to the outbox too (scoring proposes awards from an event): the
        # relay is woken once their batch is committed, as after an HTTP request.
        self._on_commit = on_commit
        # Work a service does once per transaction, after its events (scoring recomputes a
        # closed phase once for all the late facts of a slice).
        self._before_commit = before_commit
        self._pacer = pacer or Pacer()
        self._unpaced = 0.0  # of the slice being applied: seconds not paced (hook, pauses)

    @property
    def topics(self) -> list[str]:
        return sorted({contract.topic for contract in self._contracts.values()})

    async def consume(self, record: IncomingRecord) -> None:
        await self.consume_batch([record])

    async def consume_batch(self, records: Sequence[IncomingRecord]) -> None:
        """Apply a poll's records: in slices, one transaction each, that last about the
        pacer's target (shared.messaging.pacing). A failure of one slice raises after the
        slices before it were committed: the poll comes again and those are skipped."""
        decoded = [d for d in [await self._decode(r) for r in records] if d is not None]
        for part in self._pacer.slices(decoded):
            started, self._unpaced = time.perf_counter(), 0.0
            await self._consume_slice(part)
            # Paced by what grows with the slice: the once-a-transaction hook and the pauses
            # before a retry do not (counting them shrank slices to the least, and ran the
            # hook once per ten events).
            self._pacer.took(time.perf_counter() - started - self._unpaced, len(part))

    async def _consume_slice(self, decoded: Sequence[_Decoded]) -> None:
        try:
            applied = await self._apply_isolating(decoded)
        except _Transient as transient:
            # Not the messages' fault: the offsets are not committed and the batch comes
            # again; the pause, growing while the failure lasts, keeps it from spinning.
            self._transient_failures += 1
            self._metrics.events_retried.labels(failure=Failure.transient).inc()
            delay = min(
                self._max_retry_delay, self._retry_delay * 2 ** (self._transient_failures - 1)
            )
            log.warning(
                "event handling failed (transient); will retry in %.1fs",
                delay,
                exc_info=transient.error,
                extra={"events": len(decoded), "failures": self._transient_failures},
            )
            await asyncio.sleep(delay)
            raise transient.error from None
        self._transient_failures = 0
        if applied and self._on_commit is not None:
            self._on_commit()
        # By identity: the records applied are these very objects (equality would compare
        # whole events, for every pair of a 500-record batch).
        applied_ids = {id(item) for item in applied}
        # Counted per (topic, type) first: a slice holds a few of those, and a labelled
        # counter's lookup costs more than the rest of the count.
        counts: Counter[tuple[bool, str, str]] = Counter(
            (id(item) in applied_ids, item.record.topic, item.envelope.type)
            for item in decoded
            if not item.parked
        )
        for (was_applied, topic, event_type), n in counts.items():
            counter = (
                self._metrics.events_processed if was_applied else self._metrics.events_duplicate
            )
            counter.labels(topic=topic, event_type=event_type).inc(n)

    async def _decode(self, record: IncomingRecord) -> _Decoded | None:
        headers = header_map(record.headers)
        try:
            envelope = from_record(headers, record.value, self._contracts)
        except Exception as error:
            # Reading a record touches nothing but the record: whatever it raises, MalformedEvent
            # or a reader's own failure on input nobody foresaw, is the record's, and parked.
            # Raised, it failed the poll, which came back with it for ever.
            if not isinstance(error, MalformedEvent):
                error = MalformedEvent(f"record could not be read: {describe(error)}")
            # Logged in the record's trace; a record decoded well needs no scope here (it
            # gets one where it is applied alone), and making one per record cost as much
            # as decoding it.
            with trace_scope(headers.get("traceparent"), event_id=headers.get("ce_id")):
                log.warning(
                    "malformed event dead-lettered: %s", error, extra={"topic": record.topic}
                )
                await self._park(record, str(error), "shared.messaging.cloudevents.MalformedEvent")
            return None
        return None if envelope is None else _Decoded(envelope, record)

    async def _apply_isolating(
        self, batch: Sequence[_Decoded], attempts: int | None = None
    ) -> list[_Decoded]:
        """Apply the batch; if the data is refused, halve it until the refused records stand
        alone, park them and apply the rest, in order. Raises _Transient to retry later.

        An unknown failure is tried `unknown_attempts` times on the whole batch; the halves
        are then tried once each (trying each level again would multiply the tries)."""
        try:
            # The whole batch goes through the batch handlers; once refused, its halves go
            # event by event (the per-event handlers), so that the refused record is found
            # whether the data or a batch handler's set-based statement was at fault.
            return await self._apply_retrying_unknown(
                batch, attempts or self._unknown_attempts, batched=attempts is None
            )
        except _Refused as refused:
            if len(batch) == 1:
                item = batch[0]
                item.parked = True
                error = refused.error
                log.error(
                    "event refused, dead-lettered: %s",
                    describe(error),
                    extra={"event_id": str(item.envelope.id), "event_type": item.envelope.type},
                )
                await self._park(item.record, describe(error), error_class(error))
                self._metrics.events_refused.labels(
                    topic=item.record.topic, error_class=error_class(error)
                ).inc()
                return []
            middle = len(batch) // 2
            first = await self._apply_isolating(batch[:middle], attempts=1)
            return first + await self._apply_isolating(batch[middle:], attempts=1)

    async def _apply_retrying_unknown(
        self, batch: Sequence[_Decoded], attempts: int, *, batched: bool = False
    ) -> list[_Decoded]:
        """One transaction for the batch, tried again (after a short pause) while the failure
        is of an unknown kind, at most `attempts` times."""
        for attempt in range(1, attempts + 1):
            try:
                return await self._apply_once(batch, batched=batched)
            except Exception as error:
                failure = classify(error)
                if failure is Failure.transient:
                    raise _Transient(error) from error
                if failure is Failure.permanent or attempt == attempts:
                    raise _Refused(error) from error
                self._metrics.events_retried.labels(failure=failure).inc()
                log.warning(
                    "event handling failed (unknown: attempt %d of %d)",
                    attempt,
                    attempts,
                    exc_info=error,
                )
                self._unpaced += self._retry_delay * attempt
                await asyncio.sleep(self._retry_delay * attempt)
        raise AssertionError("unreachable: the last attempt returns or raises")

    async def _park(self, record: IncomingRecord, reason: str, kind: str) -> None:
        await self._dead_letters.park(record, reason, kind)
        self._metrics.events_dead_lettered.labels(topic=record.topic).inc()

    async def _claim(self, session: AsyncSession, batch: Sequence[_Decoded]) -> list[_Decoded]:
        """Record the batch's event ids as processed, in its transaction, before applying
        them: those recorded now are this transaction's to apply; the others were applied
        before. An id another transaction is recording at the same moment (a replica that
        has not yet noticed its partition was moved, still applying the rest of a poll)
        waits for it: once it commits, the id is skipped here; if it rolls back, it is
        recorded and applied here. Neither refuses the other's batch."""
        first = _first_of_each_id(batch)
        claimed = await record_processed(
            session,
            self._processed,
            [
                Delivered(
                    item.envelope.id,
                    item.envelope.type,
                    item.record.topic,
                    item.record.partition,
                    item.record.offset,
                )
                for item in first
            ],
            datetime.now(UTC),
        )
        skipped = [item for item in first if item.envelope.id not in claimed]
        if skipped:
            await self._refuse_reused_ids(session, skipped)
        for item in skipped:
            log.debug("duplicate event skipped", extra={"event_id": str(item.envelope.id)})
        return [item for item in first if item.envelope.id in claimed]

    async def _refuse_reused_ids(self, session: AsyncSession, skipped: Sequence[_Decoded]) -> None:
        """A skipped event must be the one applied under its id: an event of another type
        under a used id (a producer's bug: CloudEvents ids are unique per event) is a fact
        never applied, and was skipped without a word. Refused, it is parked with the reason
        once the batch's halving leaves it alone; the events around it are applied."""
        table = self._processed
        stored = dict(
            (
                await session.execute(
                    select(table.c.event_id, table.c.event_type).where(
                        table.c.event_id.in_([item.envelope.id for item in skipped])
                    )
                )
            ).all()
        )
        for item in skipped:
            used_by = stored.get(item.envelope.id)
            if used_by is not None and used_by != item.envelope.type:
                raise Refused(
                    f"event id {item.envelope.id} was already used by a {used_by} event: "
                    f"this {item.envelope.type} event is another fact under a used id"
                )

    async def _apply_once(
        self, batch: Sequence[_Decoded], *, batched: bool = False
    ) -> list[_Decoded]:
        """Apply, in one transaction, the events not applied before; return the records that
        were applied (the first of each event id: a batch may hold an event twice)."""
        started = time.perf_counter()
        async with self._sessions() as session, session.begin():
            applied = await self._claim(session, batch)
            for handle, run in runs(applied, self._batches if batched else {}):
                if handle is not None:
                    await handle([item.envelope for item in run], session)
                    log.debug("events applied", extra={"event_type": run[0].envelope.type})
                    continue
                envelope = run[0].envelope
                with trace_scope(envelope.traceparent, event_id=str(envelope.id)):
                    await self._handlers[envelope.type](envelope, session)
                    log.debug("event applied", extra={"event_type": envelope.type})
            if applied and self._before_commit is not None:
                hook_started = time.perf_counter()
                await self._before_commit(session)
                self._unpaced += time.perf_counter() - hook_started
        if batch:
            # One line per batch at info (a line per event cost as much as applying it).
            counts = Counter(item.envelope.type for item in applied)
            log.info(
                "batch applied: %d of %d events in %.0f ms (%s)",
                len(applied),
                len(batch),
                (time.perf_counter() - started) * 1000,
                ", ".join(f"{kind} {n}" for kind, n in sorted(counts.items())) or "duplicates",
                extra={"events": len(applied), "batched": batched},
            )
        return applied


def _first_of_each_id(batch: Sequence[_Decoded]) -> list[_Decoded]:
    first: dict[Any, _Decoded] = {}
    for item in batch:
        kept = first.setdefault(item.envelope.id, item)
        if kept.envelope.type != item.envelope.type:
            # Two facts under one id in a batch: halved until they part, the first is applied
            # and the other refused by its claim (`_refuse_reused_ids`).
            raise Refused(
                f"event id {item.envelope.id} is used by a {kept.envelope.type} event and a "
                f"{item.envelope.type} event"
            )
    return list(first.values())  # in the order each id first came


def runs(
    items: Sequence[_Decoded], batches: Mapping[str, BatchHandler]
) -> list[tuple[BatchHandler | None, list[_Decoded]]]:
    """The items in order, cut into runs: the longest runs of consecutive items whose types
    share one batch handler (with it), and each other item alone (with None). Concatenated,
    the runs are the items in their order."""
    out: list[tuple[BatchHandler | None, list[_Decoded]]] = []
    for item in items:
        handle = batches.get(item.envelope.type)
        if handle is not None and out and out[-1][0] is handle:
            out[-1][1].append(item)
        else:
            out.append((handle, [item]))
    return out
