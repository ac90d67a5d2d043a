"""Fresh PostgreSQL databases, one per test that asks, dropped afterwards.

The test suite's one exception to durability (README, "Durability"): every database made here
runs with synchronous_commit off (`ALTER DATABASE … SET`, so only sessions on that database),
and a commit returns before its WAL reaches the disk. A crash of the server loses at most the
last commits of these throwaway databases; it never corrupts them (fsync and full_page_writes
stay on cluster-wide), and it never applies to `make run`'s databases on the same cluster, which
deploy/local/postgres.sh create-db keeps at the durable default.
"""

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
from sqlalchemy import make_url
from sqlalchemy.ext.asyncio import async_sessionmaker

from shared.db import create_engine, session_factory
from shared.migrations import upgrade_to_head

# The opt-in, exactly: what tests/integration/test_durable_postgres.py checks.
TEST_DATABASE_SETTINGS = {"synchronous_commit": "off"}


class DatabaseFactory:
    def __init__(self, admin_url: str) -> None:
        self._admin_url = admin_url
        self._created: list[str] = []

    async def create(self, label: str) -> str:
        """A new empty database; returns its SQLAlchemy async URL."""
        name = f"t_{label}_{uuid.uuid4().hex[:8]}"
        connection = await asyncpg.connect(self._admin_url)
        try:
            await connection.execute(f'CREATE DATABASE "{name}"')
            self._created.append(name)
            for setting, value in TEST_DATABASE_SETTINGS.items():
                await connection.execute(f'ALTER DATABASE "{name}" SET {setting} = {value}')
        finally:
            await connection.close()
        url = make_url(self._admin_url).set(drivername="postgresql+asyncpg", database=name)
        return url.render_as_string(hide_password=False)

    @contextlib.asynccontextmanager
    async def migrated(self, service: str) -> AsyncIterator[async_sessionmaker[Any]]:
        """Sessions on a new database migrated to the head of `service` ("reporting",
        "scoring", ...): its tables as its migrations make them."""
        url = await self.create(service)
        await asyncio.to_thread(upgrade_to_head, f"services.{service}", url)
        engine = create_engine(url)
        try:
            yield session_factory(engine)
        finally:
            await engine.dispose()

    async def drop_all(self) -> None:
        connection = await asyncpg.connect(self._admin_url)
        try:
            for name in self._created:
                await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await connection.close()
        self._created.clear()
