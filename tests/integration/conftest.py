"""Fixtures the integration tests share (the broker and PostgreSQL: tests/conftest.py)."""

from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker

from tests.support.databases import DatabaseFactory


@pytest.fixture
async def reporting_db(databases: DatabaseFactory) -> AsyncIterator[async_sessionmaker[Any]]:
    """Sessions on a new PostgreSQL database migrated as reporting's."""
    async with databases.migrated("reporting") as sessions:
        yield sessions
