import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from uuid import uuid4

import httpx
import pytest

from services.submissions.demo import seed_campaign, seed_units
from tests.support.databases import DatabaseFactory
from tests.support.services import ServiceProcess

SERVICES = ("submissions", "scoring", "notifications", "reporting")


@pytest.fixture(scope="module")
async def system(
    kafka: str,
    postgres: str,
    tmp_path_factory: pytest.TempPathFactory,
    request: pytest.FixtureRequest,
) -> AsyncIterator[dict[str, ServiceProcess]]:
    """All four services, each on its own PostgreSQL database, on the real broker."""
    databases = DatabaseFactory(postgres)
    log_dir = Path(tmp_path_factory.mktemp("service-logs"))
    # A module that says OWN_CONSUMER_GROUPS = True runs its services in consumer groups of
    # their own (they read the shared broker from its beginning): the first module to run
    # does, so the next one's default groups still start where no member was ever killed.
    run = f"-{uuid4().hex[:8]}" if getattr(request.module, "OWN_CONSUMER_GROUPS", False) else ""
    services = {
        name: ServiceProcess(
            name,
            await databases.create(name),
            kafka,
            log_dir,
            extra_env={"KAFKA_GROUP_ID": f"{name}{run}"},
        )
        for name in SERVICES
    }
    try:
        for service in services.values():
            await asyncio.to_thread(service.migrate)
            await asyncio.to_thread(service.start)
        await asyncio.to_thread(_seed, services["submissions"].url)
        yield services
    finally:
        for service in services.values():
            service.stop()
        await databases.drop_all()


def _seed(url: str) -> None:
    """The union tree and the 2022 campaign with its first phase open."""
    with httpx.Client(base_url=url, timeout=30) as client:
        seed_units(client)
        seed_campaign(client)
