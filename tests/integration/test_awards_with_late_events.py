"""Awards on real PostgreSQL when events arrive late, twice or out of order: the result is the
one the events in order would give, and a rebuild from the same events gives the same."""

import contextlib
import random
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import select

from services.scoring.handlers import keep_campaign
from services.scoring.service import awarding
from services.scoring.tables import Award, messaging
from shared.campaign.loader import load_campaign
from shared.campaign.model import Campaign
from shared.contracts import (
    EventData,
    InitiativeAuthor,
    InitiativeRecognised,
    RegistrationApproved,
    UnitRecorded,
)
from shared.messaging.cloudevents import Envelope
from shared.messaging.outbox import Outbox
from tests.support.databases import DatabaseFactory
from tests.unit.event_examples import decision, published, registration, submitted

PLAN = load_campaign(Path(__file__).resolve().parents[2] / "campaigns" / "2022.yaml")
CLOSE = datetime(2022, 6, 30, 17, 0, tzinfo=UTC)

OUTBOX = Outbox(messaging.outbox)


def at(event: EventData, when: datetime) -> Envelope[Any]:
    return Envelope(id=uuid4(), source="/t", time=when, subject="s", traceparent="", data=event)


def author_events(
    member: str, unit: str, when: datetime, score: float = 9.0
) -> list[Envelope[Any]]:
    """`member`'s initiative (theirs alone, in `unit`), recognised at `score`, both as of
    `when`."""
    common: dict[str, Any] = {
        "initiative_id": uuid4(),
        "campaign_code": "2022",
        "phase_code": "dot-1",
        "unit_code": unit,
        "title": f"Sáng kiến {score} của {member}",
    }
    return [
        at(
            submitted(
                **common,
                authors=(InitiativeAuthor(member_id=member, full_name=member, share_percent=100),),
                submitted_by=member,
                submitted_at=when,
                received_on=None,  # received the day it was submitted
            ),
            when,
        ),
        at(
            decision(
                InitiativeRecognised,
                **common,
                author_ids=(member,),
                decided_at=when,
                weighted_score=score,
            ),
            when,
        ),
    ]


BEFORE = CLOSE - timedelta(days=10)
TREE = [
    at(
        UnitRecorded(
            code="CDDKVN", name="CĐ DKVN", parent_code=None, level="federation", path="CDDKVN/"
        ),
        BEFORE,
    ),
    at(
        UnitRecorded(
            code="PVCFC",
            name="CĐ PVCFC",
            parent_code="CDDKVN",
            level="affiliated",
            path="CDDKVN/PVCFC/",
        ),
        BEFORE,
    ),
    at(
        registration(
            RegistrationApproved,
            BEFORE,
            registration_id=uuid4(),
            unit_code="PVCFC",
            movement_codes=("01-trieu-sang-kien",),
            actor="admin",
        ),
        BEFORE,
    ),
]


@contextlib.asynccontextmanager
async def scoring_database(
    databases: DatabaseFactory, plan: Campaign = PLAN
) -> AsyncIterator[async_sessionmaker[Any]]:
    """A fresh, migrated scoring database that has received the campaign (2022's unless
    another plan is given)."""
    async with databases.migrated("scoring") as sessions:
        async with sessions() as session, session.begin():
            await keep_campaign(at(published(plan), BEFORE), session)
        yield sessions


@pytest.fixture
async def scoring_db(databases: DatabaseFactory) -> AsyncIterator[async_sessionmaker[Any]]:
    async with scoring_database(databases) as sessions:
        yield sessions


def authors_before_the_close(prefix: str, count: int) -> list[Envelope[Any]]:
    """`count` members (`prefix`0, `prefix`1, …) of PVCFC, each recognised an hour apart
    before the close."""
    return [
        event
        for n in range(count)
        for event in author_events(f"{prefix}{n}", "PVCFC", BEFORE + timedelta(hours=n))
    ]


async def close_phase(sessions: async_sessionmaker[Any]) -> None:
    """Phase 1 of 2022 closed on CLOSE, as the admin's close reaches scoring."""
    async with sessions() as session, session.begin():
        await awarding.close(session, OUTBOX, "2022", "dot-1", CLOSE)


async def receive(sessions: async_sessionmaker[Any], events: list[Envelope[Any]]) -> None:
    for event in events:
        async with sessions() as session, session.begin():
            await awarding.record_fact(session, event)
            await awarding.recompute_stale(session, OUTBOX)


async def awards(sessions: async_sessionmaker[Any]) -> dict[str, str]:
    async with sessions() as session:
        rows = (await session.exec(select(Award))).all()
    return {a.grant["recipient_id"]: a.status for a in rows}


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
            await awarding.recompute_stale(session, OUTBOX)
        assert calls == 1
        assert await awards(batched) == expected
