"""Fixtures shared by every suite. Infrastructure is started once per test session."""

from collections.abc import AsyncIterator, Iterator

import pytest

from tests.support.databases import DatabaseFactory
from tests.support.infrastructure import kafka_bootstrap, postgres_admin_url


@pytest.fixture(scope="session")
def kafka() -> Iterator[str]:
    """Bootstrap address of a real Apache Kafka broker."""
    with kafka_bootstrap() as address:
        yield address


@pytest.fixture(scope="session")
def postgres() -> Iterator[str]:
    """Admin URL of a real PostgreSQL server."""
    with postgres_admin_url() as url:
        yield url


@pytest.fixture
async def databases(postgres: str) -> AsyncIterator[DatabaseFactory]:
    factory = DatabaseFactory(postgres)
    yield factory
    await factory.drop_all()
