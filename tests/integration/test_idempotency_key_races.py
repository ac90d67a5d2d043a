"""Two requests with the same Idempotency-Key at the same moment, on both databases the services
run on: the second one's claim waits for the first one's transaction, then replays its answer
(nothing is created twice, no error); if the first one fails instead, the key is free again and
the second one does the work. The requests are held at fixed points, so the race is the same on
every run."""

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.responses import JSONResponse
from sqlalchemy import Column, Integer, MetaData, String, Table, func, select
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from shared.db import create_engine, session_factory
from shared.http.errors import ClientError
from shared.http.idempotency import (
    KEY_LIFETIME,
    add_idempotency_table,
    earlier_response,
    remember_response,
    request_hash,
)
from tests.support.databases import DatabaseFactory

metadata = MetaData()
keys = add_idempotency_table(metadata)
things = Table(
    "things",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(50), nullable=False),
)
SUBJECT, KEY = "BSR-CB01", "double-click"


class Failed(Exception):
    pass


@pytest.fixture(params=["postgresql", "sqlite"])
async def engine(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    databases = None
    if request.param == "postgresql":
        # The server only for this backend's runs (a sync fixture: fetched here on demand).
        databases = DatabaseFactory(request.getfixturevalue("postgres"))
        url = await databases.create("idempotency")
    else:
        url = f"sqlite+aiosqlite:///{tmp_path / 'races.sqlite3'}"
    created = create_engine(url)
    async with created.begin() as connection:
        await connection.run_sync(metadata.create_all)
    yield created
    await created.dispose()
    if databases is not None:
        await databases.drop_all()


async def create_once(
    sessions: async_sessionmaker[AsyncSession],
    name: str,
    claimed: asyncio.Event | None = None,
    go_on: asyncio.Event | None = None,
    fail: bool = False,
) -> JSONResponse:
    """A creating route as the services write it; optionally held after its claim."""
    digest = request_hash({"name": "the same body"})
    async with sessions() as session, session.begin():
        earlier = await earlier_response(session, keys, SUBJECT, KEY, digest)
        if earlier is not None:
            return earlier
        if claimed is not None and go_on is not None:
            claimed.set()
            await go_on.wait()
        if fail:
            raise Failed
        await session.execute(things.insert().values(name=name))
        content = {"created_by": name}
        await remember_response(session, keys, SUBJECT, KEY, digest, 201, content)
    return JSONResponse(status_code=201, content=content)


async def count_things(sessions: async_sessionmaker[AsyncSession]) -> int:
    async with sessions() as session:
        return int((await session.execute(select(func.count()).select_from(things))).scalar_one())


async def test_the_second_waits_for_the_first_and_replays_its_answer(engine: AsyncEngine) -> None:
    sessions = session_factory(engine)
    claimed, go_on = asyncio.Event(), asyncio.Event()
    first = asyncio.create_task(create_once(sessions, "first", claimed, go_on))
    await asyncio.wait_for(claimed.wait(), 10)

    second = asyncio.create_task(create_once(sessions, "second"))
    await asyncio.sleep(0.5)
    assert not second.done()  # held on the first one's claim, not deciding on its own

    go_on.set()
    one, two = await asyncio.wait_for(asyncio.gather(first, second), 30)
    assert (two.status_code, bytes(two.body)) == (201, b'{"created_by":"first"}')
    assert bytes(one.body) == bytes(two.body)
    assert await count_things(sessions) == 1


async def test_when_the_first_fails_the_second_does_the_work(engine: AsyncEngine) -> None:
    sessions = session_factory(engine)
    claimed, go_on = asyncio.Event(), asyncio.Event()
    first = asyncio.create_task(create_once(sessions, "first", claimed, go_on, fail=True))
    await asyncio.wait_for(claimed.wait(), 10)
    second = asyncio.create_task(create_once(sessions, "second"))
    await asyncio.sleep(0.5)

    go_on.set()
    with pytest.raises(Failed):
        await asyncio.wait_for(first, 30)
    two = await asyncio.wait_for(second, 30)
    assert (two.status_code, bytes(two.body)) == (201, b'{"created_by":"second"}')
    assert await count_things(sessions) == 1


async def test_a_key_committed_without_its_answer_is_refused_not_replayed(
    engine: AsyncEngine,
) -> None:
    """A route that committed its claim but never recorded the answer (a bug): a retry must not
    be handed the placeholder as if it were an answer."""
    sessions = session_factory(engine)
    digest = request_hash({"name": "the same body"})
    async with sessions() as session, session.begin():
        assert await earlier_response(session, keys, SUBJECT, KEY, digest) is None
    async with sessions() as session, session.begin():
        with pytest.raises(ClientError) as refused:
            await earlier_response(session, keys, SUBJECT, KEY, digest)
    assert refused.value.status_code == 409
    assert refused.value.error["code"] == "key_unanswered"


async def test_an_expired_key_is_claimed_once_by_requests_at_the_same_moment(
    engine: AsyncEngine,
) -> None:
    """A key older than KEY_LIFETIME is freed by the claim that finds it: two requests at once
    with it still create once, the second waiting for the first and replaying its answer."""
    sessions = session_factory(engine)
    await create_once(sessions, "a day ago")
    async with sessions() as session, session.begin():
        await session.execute(
            keys.update().values(created_at=datetime.now(UTC) - KEY_LIFETIME - timedelta(seconds=1))
        )
    claimed, go_on = asyncio.Event(), asyncio.Event()
    first = asyncio.create_task(create_once(sessions, "first", claimed, go_on))
    await asyncio.wait_for(claimed.wait(), 10)
    second = asyncio.create_task(create_once(sessions, "second"))
    await asyncio.sleep(0.5)
    assert not second.done()

    go_on.set()
    one, two = await asyncio.wait_for(asyncio.gather(first, second), 30)
    assert bytes(one.body) == bytes(two.body) == b'{"created_by":"first"}'
    assert await count_things(sessions) == 2  # a day ago's, and one now
