"""An admin's decisions on the award proposals, on real PostgreSQL: one achievement is not
rewarded twice (neither by computing a close again after a confirmation, nor by confirming a
second award of the same phase), a rejection stands, and the standings and the proposals
awaiting a decision are published once, again only when late data changed them.

The close and the late events go through scoring's own functions; the decisions through its
HTTP routes' functions, on the same database."""

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker

from services.scoring.api.awards import RejectIn, confirm_award, reject_award
from shared.contracts import (
    AwardGranted,
    AwardRejected,
    AwardsAwaitingDecision,
    StandingPublished,
)
from shared.http.errors import ClientError
from tests.support.award_decisions import (
    CERTIFICATE,
    FEDERATION,
    award_id,
    awards,
    closed_after,
    decide,
    plan,
    published,
    recognised,
)
from tests.support.databases import DatabaseFactory
from tests.support.scoring_awards import (
    CLOSE,
    close_phase,
    receive,
    scoring_database,
)


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
