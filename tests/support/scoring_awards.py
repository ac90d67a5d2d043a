"""Scoring's awards on real PostgreSQL, for the tests that feed it events: the 2022 plan's phase 1
closing on CLOSE, a small tree registered before it, authors recognised, and the awards kept."""

import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import select

from services.scoring.handlers import keep_campaign
from services.scoring.service import awarding
from services.scoring.tables import Award, messaging
from shared.campaign.loader import load_campaign
from shared.campaign.model import Campaign
from shared.clock import FixedClock
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
# The campaign's clock when late facts arrive: what a computation after the close is as of.
LATER = FixedClock(CLOSE + timedelta(days=1))

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
        await awarding.close(
            session,
            OUTBOX,
            "2022",
            "dot-1",
            CLOSE,
            as_of=CLOSE,
            closed_on=CLOSE.date(),
            clock=FixedClock(CLOSE),
        )


async def receive(sessions: async_sessionmaker[Any], events: list[Envelope[Any]]) -> None:
    for event in events:
        async with sessions() as session, session.begin():
            await awarding.record_fact(session, event)
            await awarding.recompute_stale(session, OUTBOX, clock=LATER)


async def awards(sessions: async_sessionmaker[Any]) -> dict[str, str]:
    async with sessions() as session:
        rows = (await session.exec(select(Award))).all()
    return {a.grant["recipient_id"]: a.status for a in rows}
