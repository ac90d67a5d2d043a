"""A pooled connection the server has closed is replaced when it is checked out, with no
round trip to ask (shared.db's checkout check, which replaced SQLAlchemy's three-round-trip
pre-ping): the request that takes it from the pool never sees the dead one."""

import asyncio

from sqlalchemy import text
from sqlalchemy.pool import QueuePool

from shared.db import create_engine, session_factory
from tests.support.databases import DatabaseFactory

PID = text("SELECT pg_backend_pid()")


async def test_a_connection_the_server_closed_is_replaced_at_checkout(
    databases: DatabaseFactory,
) -> None:
    url = await databases.create("pool_liveness")
    engine = create_engine(url)
    other = create_engine(url)
    sessions = session_factory(engine)
    try:
        async with sessions() as session:
            first = (await session.execute(PID)).scalar_one()
        # The pool keeps that connection; the server ends it, as its crash or restart does.
        async with other.connect() as connection:
            ended = text("SELECT pg_terminate_backend(:pid)")
            assert (await connection.execute(ended, {"pid": first})).scalar_one()
        await asyncio.sleep(0.5)  # the event loop reads the server's goodbye meanwhile

        async with sessions() as session:
            second = (await session.execute(PID)).scalar_one()

        assert second != first
        pool = engine.pool
        assert isinstance(pool, QueuePool)
        assert pool.checkedin() == 1  # the dead one was dropped, not kept beside it
    finally:
        await engine.dispose()
        await other.dispose()
