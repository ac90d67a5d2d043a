"""Award decisions taken at the same moment as each other, or as late data computing the close
again, on real PostgreSQL: one achievement is still rewarded once, and a decision is never
undone by a computation that read the proposal before it. The decisions go through scoring's
HTTP routes' functions, the late data through its own functions, each on a session of its
own, started together."""

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable
from datetime import timedelta
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import col, select

from services.scoring.api.awards import confirm_award
from services.scoring.tables import Award
from shared.contracts import AwardGranted
from shared.http.errors import ClientError
from tests.support import award_decisions as given
from tests.support.databases import DatabaseFactory
from tests.support.scoring_awards import CLOSE, receive, scoring_database

ROUNDS = 3


@contextlib.asynccontextmanager
async def held(sessions: async_sessionmaker[Any], award_ids: list[UUID]) -> AsyncIterator[None]:
    """The awards share-locked by another transaction until the block ends: decisions started
    inside it wait on their award's lock, then all go on at the same moment."""
    async with sessions() as session, session.begin():
        await session.exec(
            select(Award).where(col(Award.id).in_(award_ids)).with_for_update(read=True)
        )
        yield


async def outcome(decision: Awaitable[Any]) -> str:
    """'ok', or the code of the refusal (a 409); anything else is raised."""
    try:
        await decision
    except ClientError as refused:
        assert refused.status_code == 409, refused.error
        return str(refused.error["code"])
    return "ok"


async def test_two_awards_of_one_achievement_confirmed_at_once_are_one_award(
    databases: DatabaseFactory,
) -> None:
    """Both rules propose M1: each confirmation locked its own award and found no other
    confirmed, so both were granted. One is, the other is refused (already_rewarded)."""
    for _ in range(ROUNDS):
        async with scoring_database(databases, given.plan(no_duplicate=False)) as sessions:
            await given.closed_after(sessions, "M1", 9.0)
            both = [
                await given.award_id(sessions, "M1", rule)
                for rule in (given.FEDERATION, given.CERTIFICATE)
            ]
            async with held(sessions, both):
                deciding = [
                    asyncio.create_task(outcome(given.decide(sessions, confirm_award, a)))
                    for a in both
                ]
                await asyncio.sleep(0.5)  # both wait on their award's lock, then go together
            outcomes = await asyncio.gather(*deciding)
            assert sorted(outcomes) == ["already_rewarded", "ok"]
            assert sorted((await given.awards(sessions)).values()) == ["confirmed", "proposed"]
            granted = [g.status for g in await given.published(sessions, AwardGranted)]
            assert granted.count("confirmed") == 1
        await databases.drop_all()


async def test_a_confirmation_and_late_data_at_once_leave_one_award_of_m1(
    databases: DatabaseFactory,
) -> None:
    """M1's Giấy khen (8.0) is confirmed while late data (M1's second initiative, 9.5 before
    the close) computes the close again, which would withdraw it for the Bằng khen. Either the
    confirmation is first (the Giấy khen stands, nothing more for M1) or the computation is
    (the Giấy khen withdrawn, its confirmation refused): never a confirmed award marked
    withdrawn, nor two awards for M1."""
    for _ in range(ROUNDS):
        async with scoring_database(databases, given.plan(no_duplicate=True)) as sessions:
            await given.closed_after(sessions, "M1", 8.0)
            certificate = await given.award_id(sessions, "M1", given.CERTIFICATE)
            late = given.recognised("M1", 9.5, CLOSE - timedelta(hours=1))
            async with held(sessions, [certificate]):
                deciding = asyncio.create_task(
                    outcome(given.decide(sessions, confirm_award, certificate))
                )
                computing = asyncio.create_task(receive(sessions, late))
                await asyncio.sleep(0.5)
            decided, _ = await asyncio.gather(deciding, computing)
            now = await given.awards(sessions)
            if decided == "ok":
                assert now == {("M1", given.CERTIFICATE): "confirmed"}
            else:
                assert decided == "wrong_status"
                assert now == {
                    ("M1", given.CERTIFICATE): "withdrawn",
                    ("M1", given.FEDERATION): "proposed",
                }
            granted = [
                (g.rule_code, g.status) for g in await given.published(sessions, AwardGranted)
            ]
            assert granted.count((given.CERTIFICATE, "confirmed")) == (decided == "ok")
        await databases.drop_all()
