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


# --- the order tests run in ------------------------------------------------------------------
#
# pytest-randomly shuffles the modules, then the tests within each module (never one module's
# tests among another's, so module-scoped fixtures hold). A module whose tests are one story
# told in steps, each building on the system the one before left (the end-to-end initiative
# flow: it closes the phase last, then rebuilds from what all of them published), says so with
# `pytestmark = pytest.mark.in_file_order(...)`: its tests keep the order they are written in,
# while the module itself still takes its random place among the others.


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "in_file_order(reason): the module's tests are steps of one story; they run in the "
        "order they are written, whatever pytest-randomly's seed",
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Runs after pytest-randomly's shuffle (a wrapper that goes first): puts the tests of an
    `in_file_order` module back in their written order, in the places the shuffle gave them."""
    places: dict[str, list[int]] = {}
    for index, item in enumerate(items):
        if item.get_closest_marker("in_file_order") is not None:
            places.setdefault(item.nodeid.split("::", 1)[0], []).append(index)
    for indices in places.values():
        steps = sorted((items[i] for i in indices), key=_written_order)
        for index, item in zip(indices, steps, strict=True):
            items[index] = item


def _written_order(item: pytest.Item) -> tuple[int, tuple[int, ...]]:
    """Where the test's function is written, then its parameters' order."""
    line = item.reportinfo()[1] or 0
    callspec = getattr(item, "callspec", None)
    return line, tuple(callspec.indices.values()) if callspec is not None else ()
