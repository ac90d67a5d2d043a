"""Scoring's award decisions on real PostgreSQL, for the tests that make them: the 2022 plan
with a second individual award at phase 1's close, a member's initiative recognised, the
decision routes' functions called as FastAPI would, and the events scoring wrote."""

import json
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

import yaml
from sqlalchemy import select as sa_select
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import select

from services.scoring.tables import Award, messaging
from shared.auth import Principal, Role
from shared.campaign.model import Campaign
from shared.clock import FixedClock
from shared.messaging.cloudevents import Envelope
from shared.messaging.outbox import Outbox
from tests.support.infrastructure import REPO
from tests.support.scoring_awards import BEFORE, CLOSE, TREE, author_events, close_phase, receive

ADMIN = Principal("CDDKVN-0001", "Quản trị", frozenset({Role.FEDERATION_ADMIN}), "CDDKVN")
CLOCK = FixedClock(CLOSE + timedelta(days=3))
CERTIFICATE = "giay-khen-ca-nhan-dot-1"  # this test's second individual rule of phase 1
FEDERATION = "bang-khen-ca-nhan-sang-kien-dot-1"  # 2022's: 8.5 and above

OUTBOX = Outbox(messaging.outbox)


def plan(no_duplicate: bool) -> Campaign:
    """2022's file with a second individual award at phase 1's close: the affiliated union's
    Giấy khen from 7.0 (below the federation's Bằng khen, from 8.5)."""
    data = yaml.safe_load((REPO / "campaigns" / "2022.yaml").read_text(encoding="utf-8"))
    eligibility = ["must_have_registered"]
    if no_duplicate:
        eligibility.append("no_duplicate_award_for_same_achievement")
    data["awards"]["rules"].append(
        {
            "code": CERTIFICATE,
            "name": "Giấy khen cho cá nhân có sáng kiến được công nhận trong đợt 1",
            "award": "giay-khen-cong-doan-truc-thuoc",
            "recipient": "individual",
            "population": "members",
            "granted_at": "dot-1",
            "basis": "initiative_score",
            "min_score": 7.0,
            "quota": 30,
            "eligibility": eligibility,
        }
    )
    return Campaign.model_validate(data)


def recognised(member: str, score: float, when: datetime) -> list[Envelope[Any]]:
    """`member`'s initiative in PVCFC, recognised at `score`, both as of `when`."""
    return author_events(member, "PVCFC", when, score)


async def awards(sessions: async_sessionmaker[Any]) -> dict[tuple[str, str], str]:
    """(recipient, rule) -> status."""
    async with sessions() as session:
        rows = (await session.exec(select(Award))).all()
    return {(a.grant["recipient_id"], a.grant["rule_code"]): a.status for a in rows}


async def award_id(sessions: async_sessionmaker[Any], member: str, rule: str) -> UUID:
    async with sessions() as session:
        rows = (await session.exec(select(Award))).all()
    found: UUID = next(
        a.id for a in rows if (a.grant["recipient_id"], a.grant["rule_code"]) == (member, rule)
    )
    return found


async def decide(
    sessions: async_sessionmaker[Any], route: Callable[..., Any], *args: Any
) -> dict[str, Any]:
    """Call an award route's function as FastAPI would, on a session of its own."""
    async with sessions() as session:
        answer = await route(*args, ADMIN, session, Outbox(messaging.outbox), CLOCK)
    return dict(answer.model_dump())


async def published(sessions: async_sessionmaker[Any], contract: type[Any]) -> list[Any]:
    """The events of a type scoring wrote to its outbox, in order."""
    table = messaging.outbox
    async with sessions() as session:
        rows = await session.execute(
            sa_select(table.c.payload)
            .where(table.c.event_type == contract.event_type)
            .order_by(table.c.id)
        )
    return [contract.model_validate(json.loads(payload)) for (payload,) in rows]


async def closed_after(sessions: async_sessionmaker[Any], member: str, score: float) -> None:
    """Phase 1 closed once the tree is known and `member`'s initiative recognised at
    `score`."""
    await receive(sessions, [*TREE, *recognised(member, score, BEFORE)])
    await close_phase(sessions)
