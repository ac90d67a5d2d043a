import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
import pytest

from services.submissions.demo import seed_campaign, seed_units, token
from shared.auth import Role
from tests.support.databases import DatabaseFactory
from tests.support.services import ServiceProcess

SERVICES = ("submissions", "scoring", "notifications", "reporting")
ADMIN = token("CDDKVN-0001", "CDDKVN", Role.FEDERATION_ADMIN)


async def add_grassroots_unit(submissions: str, code: str, name: str, parent: str) -> None:
    """The federation's admin adds the grassroots union `code` under `parent` (submissions at
    the URL `submissions`)."""
    async with httpx.AsyncClient(timeout=10) as client:
        created = await client.post(
            f"{submissions}/api/v1/units",
            json={"code": code, "name": name, "parent_code": parent, "level": "grassroots"},
            headers=ADMIN,
        )
    assert created.status_code == 201, created.text


def initiative_body(
    unit: str, member: str, full_name: str = "Hoàng Thị Lan", **changes: Any
) -> dict[str, Any]:
    """A valid body for `POST /api/v1/initiatives`: `unit`'s initiative, `member`'s alone;
    `changes` replace or add fields."""
    body = {
        "title": "Giảm tiêu hao nhiên liệu lò hơi nhà máy đạm",
        "unit_code": unit,
        "field": "technical",
        "problem": "Lò hơi tiêu hao nhiều khí hơn định mức thiết kế.",
        "solution": "Điều chỉnh tỷ lệ không khí/nhiên liệu theo tải thực tế.",
        "authors": [{"member_id": member, "full_name": full_name, "share_percent": 100}],
        "first_applied_on": "2022-04-15",
        "expected_benefit_vnd": 2_500_000_000,
    }
    return body | changes


@pytest.fixture(scope="module")
async def system(
    kafka: str,
    postgres: str,
    tmp_path_factory: pytest.TempPathFactory,
    request: pytest.FixtureRequest,
) -> AsyncIterator[dict[str, ServiceProcess]]:
    """All four services, each on its own PostgreSQL database, on the real broker (the
    module's own where it defines `kafka`), each in a consumer group of its own: a module's
    services never share a group with another module's (the browser tests' system runs for the
    whole session in the default groups), and read the broker from its beginning whatever ran
    before them."""
    databases = DatabaseFactory(postgres)
    log_dir = Path(tmp_path_factory.mktemp("service-logs"))
    run = f"{request.module.__name__.rsplit('.', 1)[-1]}-{uuid4().hex[:8]}"
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
