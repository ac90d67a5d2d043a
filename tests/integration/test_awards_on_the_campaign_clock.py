"""A phase's proposals and standings are as of its close on the campaign's clock
(`PhaseClosed.closed_at`), not its recording time. In a simulated year (make run's 2022, run in
2026) the proposals were stamped with the recording time, years after the admin's
confirmations, which are on the campaign's clock: reporting, which keeps an award's newest
decision, kept every proposal over its confirmation, and its dashboard, honour board and
award list showed no confirmed award. What counts at the close is still what was recorded
before the close was."""

import json
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import select

from services.scoring import handlers
from services.scoring.tables import Award, ClosedPhase, messaging
from shared.clock import FixedClock
from shared.contracts import AwardGranted, StandingPublished
from tests.support.databases import DatabaseFactory
from tests.support.scoring_awards import (
    CLOSE,
    OUTBOX,
    TREE,
    at,
    authors_before_the_close,
    receive,
    scoring_database,
)
from tests.unit.event_examples import phase_closed

# When the close was recorded: the machines' clock, years after the campaign's.
RECORDED = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
# Dot-1 (ending on 30/06/2022), its review day keyed in as 28/06, the close made on the 30th.
REVIEW_DAY = date(2022, 6, 28)
CLOSED = phase_closed().model_copy(update={"closed_at": CLOSE, "closed_on": REVIEW_DAY})


@pytest.fixture
async def closed(databases: DatabaseFactory) -> AsyncIterator[async_sessionmaker[Any]]:
    """Scoring with a unit whose members were recognised before the close, then the close."""
    async with scoring_database(databases) as sessions:
        await receive(sessions, TREE)
        await receive(sessions, authors_before_the_close("T", 3))
        async with sessions() as session, session.begin():
            await handlers.phase_closed(
                at(CLOSED, RECORDED),
                session,
                outbox=OUTBOX,
                clock=FixedClock(CLOSE + timedelta(minutes=5)),
            )
        yield sessions


async def _published(sessions: async_sessionmaker[Any], event_type: str) -> list[dict[str, Any]]:
    table = messaging.outbox
    async with sessions() as session:
        rows = await session.execute(
            select(table.c.payload).where(table.c.event_type == event_type)
        )
        return [json.loads(payload) for (payload,) in rows.all()]


async def test_proposals_are_as_of_the_close_on_the_campaigns_clock(
    closed: async_sessionmaker[Any],
) -> None:
    async with closed() as session:
        awards = (await session.exec(select(Award))).all()
        [kept] = (await session.exec(select(ClosedPhase))).all()
    assert awards, "the recognised members' unit earns proposals"
    assert {datetime.fromisoformat(a.grant["at"]) for a in awards} == {CLOSE}
    granted = await _published(closed, AwardGranted.event_type)
    assert {datetime.fromisoformat(g["at"]) for g in granted} == {CLOSE}
    # What counts is still what was recorded before the close was recorded.
    assert (kept.closed_at, kept.campaign_closed_at) == (RECORDED, CLOSE)
    # The rules are judged on the review day the admin gave, not the day it was keyed in.
    assert (kept.closed_on, kept.judged_on) == (REVIEW_DAY, REVIEW_DAY)


async def test_standings_are_as_of_the_close_on_the_campaigns_clock(
    closed: async_sessionmaker[Any],
) -> None:
    standings = await _published(closed, StandingPublished.event_type)
    assert standings
    assert {datetime.fromisoformat(s["closed_at"]) for s in standings} == {CLOSE}
    assert {datetime.fromisoformat(s["computed_at"]) for s in standings} == {
        CLOSE + timedelta(minutes=5)
    }
    assert {s["initiatives_recognised"] for s in standings if s["unit_code"] == "PVCFC"} == {3}
