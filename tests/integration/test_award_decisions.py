"""An admin's decisions on the award proposals, on real PostgreSQL: one achievement is not
rewarded twice (neither by computing a close again after a confirmation, nor by confirming a
second award of the same phase), a rejection stands, and the standings and the proposals
awaiting a decision are published once, again only when late data changed them.

The close and the late events go through scoring's own functions; the decisions through its
HTTP routes' functions, on the same database."""

import json
from collections.abc import AsyncIterator, Callable
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
import yaml
from sqlalchemy import select as sa_select
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import select

from services.scoring.api.awards import RejectIn, confirm_award, reject_award
from services.scoring.tables import Award, messaging
from shared.auth import Principal, Role
from shared.campaign.model import Campaign
from shared.clock import FixedClock
from shared.contracts import (
    AwardGranted,
    AwardRejected,
    AwardsAwaitingDecision,
    StandingPublished,
)
from shared.http.errors import ClientError
from shared.messaging.cloudevents import Envelope
from shared.messaging.outbox import Outbox
from tests.support.databases import DatabaseFactory
from tests.support.infrastructure import REPO
from tests.support.scoring_awards import (
    BEFORE,
    CLOSE,
    TREE,
    author_events,
    close_phase,
    receive,
    scoring_database,
)

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


@pytest.fixture
async def no_duplicates(databases: DatabaseFactory) -> AsyncIterator[async_sessionmaker[Any]]:
    async with scoring_database(databases, plan(no_duplicate=True)) as sessions:
        yield sessions


async def test_a_confirmed_award_is_not_doubled_when_late_data_recomputes_the_close(
    no_duplicates: async_sessionmaker[Any],
) -> None:
    sessions = no_duplicates
    await closed_after(sessions, "M1", 8.0)
    assert await awards(sessions) == {("M1", CERTIFICATE): "proposed"}  # 8.0: the Giấy khen
    confirmed = await decide(sessions, confirm_award, await award_id(sessions, "M1", CERTIFICATE))
    assert confirmed["status"] == "confirmed"

    # Delivered late: M1's second initiative, recognised at 9.5 before the close, would earn
    # the (higher) Bằng khen; M2's earns one too.
    late = CLOSE - timedelta(hours=1)
    await receive(sessions, [*recognised("M1", 9.5, late), *recognised("M2", 9.0, late)])
    assert await awards(sessions) == {
        ("M1", CERTIFICATE): "confirmed",  # M1's achievement is rewarded once
        ("M2", FEDERATION): "proposed",
    }
    granted = [
        (g.recipient_id, g.rule_code, g.status) for g in await published(sessions, AwardGranted)
    ]
    assert granted == [
        ("M1", CERTIFICATE, "proposed"),
        ("M1", CERTIFICATE, "confirmed"),
        ("M2", FEDERATION, "proposed"),
    ]
    # The admins are told at the close, and again because the recomputation added one.
    summaries = await published(sessions, AwardsAwaitingDecision)
    assert [(s.awaiting, s.proposed, s.withdrawn) for s in summaries] == [(1, 1, 0), (1, 1, 0)]


async def test_a_second_award_for_the_same_achievement_cannot_be_confirmed(
    databases: DatabaseFactory,
) -> None:
    # Without no_duplicate_award_for_same_achievement, both rules propose M1 (9.0): an admin
    # confirms one, and the second is refused at the decision.
    async with scoring_database(databases, plan(no_duplicate=False)) as sessions:
        await closed_after(sessions, "M1", 9.0)
        assert await awards(sessions) == {
            ("M1", FEDERATION): "proposed",
            ("M1", CERTIFICATE): "proposed",
        }
        await decide(sessions, confirm_award, await award_id(sessions, "M1", FEDERATION))
        second = await award_id(sessions, "M1", CERTIFICATE)
        with pytest.raises(ClientError) as refused:
            await decide(sessions, confirm_award, second)
        assert refused.value.status_code == 409
        error = refused.value.error
        assert error["code"] == "already_rewarded"
        assert "hai lần" in error["message_vi"] and "twice" in error["message_en"]
        # It is rejected instead, with the reason.
        reason = RejectIn(reason="Đã được tặng Bằng khen cho cùng thành tích")
        rejected = await decide(sessions, reject_award, second, reason)
        assert (rejected["status"], rejected["reject_reason"]) == ("rejected", reason.reason)
        assert await awards(sessions) == {
            ("M1", FEDERATION): "confirmed",
            ("M1", CERTIFICATE): "rejected",
        }


async def test_a_rejection_stands_and_standings_are_published_again_only_when_changed(
    no_duplicates: async_sessionmaker[Any],
) -> None:
    sessions = no_duplicates
    await closed_after(sessions, "M1", 9.0)
    [pvcfc] = await published(sessions, StandingPublished)
    assert (pvcfc.unit_code, pvcfc.rank, pvcfc.rank_of, pvcfc.revision) == ("PVCFC", 1, 1, 1)
    assert pvcfc.initiatives_recognised == 1
    # Why it misses each target, in Vietnamese and, from the same values, in English.
    assert pvcfc.targets_missed and pvcfc.targets_missed_en.keys() == pvcfc.targets_missed.keys()
    for number, why in pvcfc.targets_missed_en.items():
        assert why != pvcfc.targets_missed[number] and why.isascii()
    reason = RejectIn(reason="Hồ sơ sáng kiến chưa đủ minh chứng")
    await decide(sessions, reject_award, await award_id(sessions, "M1", FEDERATION), reason)

    # Late data recomputes the close: M1's rejection stands (proposed again it is not); the
    # unit's standing changed with each late event (M2's initiative submitted, then
    # recognised), so it is published again each time, as revisions 2 and 3.
    await receive(sessions, recognised("M2", 9.0, CLOSE - timedelta(hours=1)))
    assert await awards(sessions) == {
        ("M1", FEDERATION): "rejected",
        ("M2", FEDERATION): "proposed",
    }
    assert [r.recipient_id for r in await published(sessions, AwardRejected)] == ["M1"]
    revisions = [
        (s.revision, s.initiatives_recognised) for s in await published(sessions, StandingPublished)
    ]
    assert revisions == [(1, 1), (2, 1), (3, 2)]
    # An event after the close changes nothing: no recomputation, nothing published.
    await receive(sessions, recognised("M3", 9.0, CLOSE + timedelta(hours=1)))
    assert len(await published(sessions, StandingPublished)) == 3
    assert [s.awaiting for s in await published(sessions, AwardsAwaitingDecision)] == [1, 1]
    # A close recomputed with nothing new (the phase-closed event delivered again) neither.
    await close_phase(sessions)
    assert len(await published(sessions, StandingPublished)) == 3
    assert len(await published(sessions, AwardsAwaitingDecision)) == 2
