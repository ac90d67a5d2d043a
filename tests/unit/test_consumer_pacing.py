"""A poll is applied in slices that last about the pacer's target, one transaction each: a
slow run of events gets smaller slices, a fast one larger, and a poll that fails in its
third slice keeps the two before it applied, so that its redelivery skips them."""

import asyncio
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from prometheus_client import CollectorRegistry
from sqlalchemy import MetaData, select
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import StaticPool
from sqlmodel.ext.asyncio.session import AsyncSession

from shared.contracts import UnitRecorded
from shared.db import session_factory
from shared.messaging.cloudevents import Envelope, new_envelope, to_record
from shared.messaging.consumer import EventConsumer, Subscription
from shared.messaging.dead_letters import DeadLetters, IncomingRecord
from shared.messaging.pacing import Pacer
from shared.messaging.tables import add_messaging_tables
from shared.metrics import MessagingMetrics


@given(st.lists(st.integers(), max_size=60), st.integers(1, 9))
def test_slices_are_the_items_in_order(items: list[int], size: int) -> None:
    pacer = Pacer(1.0, largest=size, smallest=1)
    cut = list(pacer.slices(items))
    assert [x for part in cut for x in part] == items
    assert all(len(part) <= size for part in cut)


def test_a_slow_slice_shrinks_the_next_and_a_fast_one_grows_it_within_bounds() -> None:
    pacer = Pacer(5.0, largest=500, smallest=10)
    pacer.took(20.0, 500)  # 25 events a second: 125 would take 5 s, but it halves at most
    assert pacer.size == 250
    pacer.took(10.0, 250)
    assert pacer.size == 125  # exactly the target's worth
    for _ in range(10):
        pacer.took(100.0, pacer.size)
    assert pacer.size == 10  # never under the smallest
    for _ in range(10):
        pacer.took(0.001, pacer.size)
    assert pacer.size == 500  # never over the largest


def test_a_short_or_quick_slice_does_not_shrink_the_next() -> None:
    pacer = Pacer(5.0, largest=500, smallest=10)
    pacer.took(1.0, 3)  # a poll's tail of 3 events, with a transaction's fixed cost
    pacer.took(4.9, 500)  # within the target
    assert pacer.size == 500
    pacer.took(20.0, 500)
    pacer.took(0.5, 40)  # short and quick: says nothing of a full slice
    assert pacer.size == 250


def test_the_pacer_refuses_a_target_it_cannot_keep() -> None:
    with pytest.raises(ValueError):
        Pacer(0)
    with pytest.raises(ValueError):
        Pacer(1.0, largest=5, smallest=6)


class _Parked(DeadLetters):
    def __init__(self) -> None:
        self.parked: list[str] = []

    async def park(self, record: IncomingRecord, reason: str, kind: str) -> None:
        self.parked.append(reason)


async def _database() -> tuple[Any, Any]:
    """An in-memory database holding a consumer's processed-event table (and the outbox)."""
    metadata = MetaData()
    processed = add_messaging_tables(metadata).processed_events
    engine = create_async_engine("sqlite+aiosqlite://", poolclass=StaticPool)
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    return engine, processed


def _consumer(handler: Any, engine: Any, processed: Any, **options: Any) -> EventConsumer:
    """A consumer of `unit recorded` events into that database, its dead letters kept in a list."""
    return EventConsumer(
        [Subscription(UnitRecorded, handler)],
        session_factory(engine),
        processed,
        _Parked(),
        MessagingMetrics.create("pacing", CollectorRegistry()),
        **options,
    )


async def test_a_poll_failing_in_a_later_slice_keeps_the_slices_before_it() -> None:
    engine, processed = await _database()
    applied: list[str] = []
    fail_on: set[str] = {"U-7"}

    async def remember(event: Envelope[Any], session: AsyncSession) -> None:
        if event.data.code in fail_on:
            raise ConnectionResetError("the database went away")  # transient
        applied.append(event.data.code)

    consumer = _consumer(
        remember, engine, processed, retry_delay=0, pacer=Pacer(5.0, largest=3, smallest=1)
    )
    records = [_record(f"U-{n}", n) for n in range(9)]

    with pytest.raises(ConnectionResetError):
        await consumer.consume_batch(records)
    # Slices of three: U-0..2 and U-3..5 committed, U-6..8 rolled back with U-7's failure.
    assert await _ids(engine, processed) == 6

    fail_on.clear()
    applied.clear()
    await consumer.consume_batch(records)  # the poll again, as after the failure
    assert applied == ["U-6", "U-7", "U-8"]  # the committed slices are skipped
    assert await _ids(engine, processed) == 9


async def _ids(engine: Any, processed: Any) -> int:
    async with engine.connect() as connection:
        return len((await connection.execute(select(processed.c.event_id))).all())


def _record(code: str, offset: int) -> IncomingRecord:
    data = UnitRecorded(
        code=code, name=code, parent_code="CDDKVN", level="grassroots", path=f"CDDKVN/{code}/"
    )
    event = new_envelope(data, source="/t", subject=code)
    produced = to_record(event)
    return IncomingRecord(produced.topic, 0, offset, produced.key, produced.value, produced.headers)


async def test_a_slow_hook_once_a_transaction_does_not_shrink_the_slices() -> None:
    engine, processed = await _database()
    hooks: list[int] = []

    async def remember(event: Envelope[Any], session: AsyncSession) -> None:
        pass

    async def slow_hook(session: AsyncSession) -> None:  # scoring's recompute, say
        hooks.append(1)
        await asyncio.sleep(0.3)

    pacer = Pacer(0.1, largest=4, smallest=1)
    consumer = _consumer(remember, engine, processed, before_commit=slow_hook, pacer=pacer)
    await consumer.consume_batch([_record(f"U-{n}", n) for n in range(12)])
    # Paced by the events alone: three slices of four, one hook each, not twelve of one.
    assert (pacer.size, len(hooks)) == (4, 3)
