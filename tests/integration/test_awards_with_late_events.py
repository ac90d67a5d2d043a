"""Awards on real PostgreSQL when events arrive late, twice or out of order: the result is the
one the events in order would give, and a rebuild from the same events gives the same."""

import random
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import async_sessionmaker

from services.scoring.service import awarding
from shared.clock import FixedClock
from tests.support.databases import DatabaseFactory
from tests.support.scoring_awards import (
    BEFORE,
    CLOSE,
    OUTBOX,
    TREE,
    author_events,
    authors_before_the_close,
    awards,
    close_phase,
    receive,
    scoring_database,
)


@pytest.fixture
async def scoring_db(databases: DatabaseFactory) -> AsyncIterator[async_sessionmaker[Any]]:
    async with scoring_database(databases) as sessions:
        yield sessions


async def test_an_event_in_flight_at_the_close_counts_when_it_arrives_and_a_later_one_does_not(
    scoring_db: async_sessionmaker[Any],
) -> None:
    await receive(scoring_db, [*TREE, *author_events("M1", "PVCFC", BEFORE)])
    await close_phase(scoring_db)
    assert await awards(scoring_db) == {"M1": "proposed"}

    # M2's recognition happened before the close but is delivered after it.
    await receive(scoring_db, author_events("M2", "PVCFC", CLOSE - timedelta(hours=1)))
    assert await awards(scoring_db) == {"M1": "proposed", "M2": "proposed"}

    # M3's happened after the close: it belongs to no award of phase 1.
    await receive(scoring_db, author_events("M3", "PVCFC", CLOSE + timedelta(hours=1)))
    assert await awards(scoring_db) == {"M1": "proposed", "M2": "proposed"}


async def test_the_same_events_shuffled_and_repeated_give_the_same_awards(
    databases: DatabaseFactory, scoring_db: async_sessionmaker[Any]
) -> None:
    events = [*TREE, *authors_before_the_close("M", 8)]
    events += author_events("LATE", "PVCFC", CLOSE + timedelta(days=1))
    await receive(scoring_db, events)
    await close_phase(scoring_db)
    in_order = await awards(scoring_db)
    assert set(in_order) == {f"M{n}" for n in range(8)}

    # A rebuild: another database receives the close first, then the events shuffled, twice.
    async with scoring_database(databases) as rebuilt:
        await close_phase(rebuilt)
        shuffled = events + random.Random(7).sample(events, len(events))
        random.Random(11).shuffle(shuffled)
        await receive(rebuilt, shuffled)
        assert await awards(rebuilt) == in_order


async def _published(sessions: async_sessionmaker[Any]) -> set[tuple[str, str]]:
    async with sessions() as session:
        rows = (await session.execute(text("SELECT event_type, event_id FROM outbox"))).all()
    return {
        (kind.removeprefix("vn.congdoandaukhi.thidua."), str(event_id)) for kind, event_id in rows
    }


async def test_a_rebuilt_scoring_closing_the_same_phase_publishes_the_same_event_ids(
    databases: DatabaseFactory, scoring_db: async_sessionmaker[Any]
) -> None:
    # Consumers are idempotent by event id: the standings, proposals and the admins' notice
    # computed again from the same events must not reach the unit officers a second time.
    events = [*TREE, *authors_before_the_close("M", 4)]
    await receive(scoring_db, events)
    await close_phase(scoring_db)
    first = await _published(scoring_db)
    assert {kind for kind, _ in first} >= {
        "standing.published.v1",
        "award.granted.v1",
        "awards.awaiting_decision.v1",
    }

    async with scoring_database(databases) as rebuilt:
        await receive(rebuilt, events)
        await close_phase(rebuilt)
        assert await _published(rebuilt) == first

    # Closing again with nothing new states nothing new, and is no error.
    await close_phase(scoring_db)
    assert await _published(scoring_db) == first


async def test_late_facts_of_one_batch_recompute_the_close_once_with_the_same_awards(
    databases: DatabaseFactory, scoring_db: async_sessionmaker[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A rebuild replays the close before most facts: one recomputation per fact was quadratic.
    late = authors_before_the_close("L", 6)
    await receive(scoring_db, TREE)
    await close_phase(scoring_db)
    await receive(scoring_db, late)  # one at a time, each recomputing at once
    expected = await awards(scoring_db)
    assert set(expected) == {f"L{n}" for n in range(6)}

    calls = 0
    real_propose = awarding.propose

    async def counted(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        return await real_propose(*args, **kwargs)

    async with scoring_database(databases) as batched:
        await receive(batched, TREE)
        await close_phase(batched)
        monkeypatch.setattr(awarding, "propose", counted)
        async with batched() as session, session.begin():  # one consumed batch
            for event in late:
                await awarding.record_fact(session, event)
            await awarding.recompute_stale(session, OUTBOX, clock=FixedClock(CLOSE))
        assert calls == 1
        assert await awards(batched) == expected
