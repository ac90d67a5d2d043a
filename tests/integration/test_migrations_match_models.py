"""Each service's Alembic migrations, run on real PostgreSQL, give exactly its models."""

import asyncio
from importlib import import_module

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import MetaData
from sqlalchemy.engine import Connection

from shared.db import create_engine
from shared.migrations import upgrade_to_head
from tests.support.databases import DatabaseFactory

SERVICES = ["submissions", "scoring", "notifications", "reporting"]


@pytest.mark.parametrize("service", SERVICES)
async def test_migrations_at_head_match_the_models(
    service: str, databases: DatabaseFactory
) -> None:
    url = await databases.create(service)
    # Alembic's env runs its own event loop; give it a thread of its own.
    await asyncio.to_thread(upgrade_to_head, f"services.{service}", url)
    metadata: MetaData = import_module(f"services.{service}.tables").metadata

    def differences(connection: Connection) -> list[object]:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, metadata))

    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            assert await connection.run_sync(differences) == []
    finally:
        await engine.dispose()
