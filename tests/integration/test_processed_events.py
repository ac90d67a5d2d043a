"""Recording events as processed (shared.messaging.processed) on PostgreSQL's path (arrays
unnested into rows) and SQLite's (a multi-row insert): the same rows, the same answer."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from sqlalchemy import MetaData, select
from sqlalchemy.ext.asyncio import async_sessionmaker

from shared.db import create_engine, session_factory
from shared.messaging.processed import Delivered, record_processed
from shared.messaging.tables import MessagingTables, add_messaging_tables
from tests.support.databases import DatabaseFactory

AT = datetime(2022, 5, 20, 2, tzinfo=UTC)


@pytest.fixture(params=["postgresql", "sqlite"])
async def store(
    request: pytest.FixtureRequest, databases: DatabaseFactory, tmp_path: Path
) -> AsyncIterator[tuple[async_sessionmaker[Any], MessagingTables]]:
    url = (
        await databases.create("processed")
        if request.param == "postgresql"
        else f"sqlite+aiosqlite:///{tmp_path}/processed.sqlite3"
    )
    metadata = MetaData()
    tables = add_messaging_tables(metadata)
    engine = create_engine(url)
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    try:
        yield session_factory(engine), tables
    finally:
        await engine.dispose()


def _delivered(offset: int) -> Delivered:
    return Delivered(uuid4(), "vn.example.initiative.submitted", "thidua.initiatives.v1", 2, offset)


async def test_only_the_ids_not_recorded_before_are_recorded_and_answered(
    store: tuple[async_sessionmaker[Any], MessagingTables],
) -> None:
    sessions, tables = store
    first = [_delivered(offset) for offset in range(3)]
    async with sessions() as session, session.begin():
        assert await record_processed(session, tables.processed_events, first, AT) == {
            e.event_id for e in first
        }
    again = [*first[1:], _delivered(2**40)]  # two seen before, one new (an offset past 32 bits)
    async with sessions() as session, session.begin():
        assert await record_processed(session, tables.processed_events, again, AT) == {
            again[-1].event_id
        }
        assert await record_processed(session, tables.processed_events, [], AT) == set()
    async with sessions() as session:
        table = tables.processed_events
        rows = (await session.execute(select(table).order_by(table.c.offset))).all()
    assert [tuple(row)[:5] for row in rows] == [
        (e.event_id, e.event_type, e.topic, e.partition, e.offset) for e in [*first, again[-1]]
    ]
    assert {row.processed_at.replace(tzinfo=row.processed_at.tzinfo or UTC) for row in rows} == {AT}
