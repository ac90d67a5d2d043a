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
    kafka: str, postgres: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[dict[str, ServiceProcess]]:
    """All four services, each on its own PostgreSQL database, on the real broker."""
    databases = DatabaseFactory(postgres)
    log_dir = Path(tmp_path_factory.mktemp("service-logs"))
    # A consumer group of its own per module: a module's services then read the shared
    # broker from its beginning, and never wait on a member another module killed.
    run = uuid4().hex[:8]
    services = {
        name: ServiceProcess(
            name,
            await databases.create(name),
            kafka,
            log_dir,
            extra_env={"KAFKA_GROUP_ID": f"{name}-{run}"},
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
