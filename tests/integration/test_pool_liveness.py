"""A pooled connection the server has closed is replaced when it is checked out, not handed to
the request (shared.db's checkout check, which replaced SQLAlchemy's three-round-trip
pre-ping): for free once the event loop has read the server's goodbye, and by a round trip
for a connection that has waited in the pool a while (its death may not have been read)."""

import asyncio
import threading

import asyncpg
import pytest
from sqlalchemy import make_url, text
from sqlalchemy.pool import QueuePool

import shared.db
from shared.db import create_engine, session_factory
from tests.support.databases import DatabaseFactory

PID = text("SELECT pg_backend_pid()")


def _terminate_unseen(url: str, pid: int) -> None:
    """End that backend, as the server's crash or restart does, and wait until it is gone,
    from another thread while this one blocks: this event loop does not run meanwhile, so
    the pool's connection has not read its goodbye when it is next checked out."""

    async def terminate() -> bool:
        connection = await asyncpg.connect(
            make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
        )
        try:
            return bool(await connection.fetchval("SELECT pg_terminate_backend($1, 5000)", pid))
        finally:
            await connection.close()

    ended: list[bool] = []
    worker = threading.Thread(target=lambda: ended.append(asyncio.run(terminate())))
    worker.start()
    worker.join()
    assert ended == [True]


async def _replaced_after_termination(databases: DatabaseFactory, pause: float) -> None:
    url = await databases.create("pool_liveness")
    engine = create_engine(url)
    sessions = session_factory(engine)
    try:
        async with sessions() as session:
            first = (await session.execute(PID)).scalar_one()
        _terminate_unseen(url, first)
        if pause:
            await asyncio.sleep(pause)  # the loop reads the goodbye

        async with sessions() as session:
            second = (await session.execute(PID)).scalar_one()

        assert second != first
        pool = engine.pool
        assert isinstance(pool, QueuePool)
        assert pool.checkedin() == 1  # the dead one was dropped, not kept beside it
    finally:
        await engine.dispose()


async def test_a_connection_seen_closed_is_replaced_without_asking_the_server(
    databases: DatabaseFactory,
) -> None:
    # Within the idle allowance: no ping; the loop reads the goodbye during the pause.
    await _replaced_after_termination(databases, pause=0.5)


async def test_an_idle_connection_whose_end_was_not_read_yet_is_asked_and_replaced(
    databases: DatabaseFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Checked out again before the goodbye is read: `is_closed()` cannot tell; the ping of a
    # connection idle past the allowance (here: any) does.
    monkeypatch.setattr(shared.db, "PING_AFTER_IDLE_SECONDS", 0.0)
    await _replaced_after_termination(databases, pause=0.0)
