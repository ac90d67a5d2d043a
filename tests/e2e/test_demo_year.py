"""The demo year (the small set) played through the four running services on their campaign
clock file, then read back as an officer would read the dashboard: a year in progress."""

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest

from services.submissions.demo import UNITS, token
from services.submissions.demo_year.__main__ import load
from services.submissions.demo_year.story import (
    NEVER_REGISTERING,
    OVERDUE_COMPLAINT_UNIT,
    REGISTRATION_RETURNED,
    league,
    plan_year,
)
from shared.auth import Role
from shared.clock import FILE_VARIABLE
from tests.support.databases import DatabaseFactory
from tests.support.infrastructure import kafka_bootstrap
from tests.support.services import ServiceProcess

ADMIN = token("CDDKVN-0001", "CDDKVN", Role.FEDERATION_ADMIN)
AS_OF = date(2022, 11, 15)


@dataclass
class OnClockFile(ServiceProcess):
    """A service that reads the campaign's day from the file the player moves."""

    clock_file: Path = Path()

    @property
    def env(self) -> dict[str, str]:
        return {**super().env, FILE_VARIABLE: str(self.clock_file)}


@pytest.fixture(scope="module")
def kafka() -> Iterator[str]:
    """A broker of its own: the year's campaign, its closed phase 1 and its hundred initiatives
    stay off the topics the other e2e modules share, whose services (and rebuilds replaying
    the topics from the beginning) would otherwise read them too."""
    with kafka_bootstrap() as address:
        yield address


@pytest.fixture(scope="module")
async def year_system(
    kafka: str, postgres: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[tuple[dict[str, OnClockFile], Path]]:
    databases = DatabaseFactory(postgres)
    folder = Path(tmp_path_factory.mktemp("demo-year"))
    clock_file = folder / "clock"
    services = {
        name: OnClockFile(name, await databases.create(name), kafka, folder, clock_file=clock_file)
        for name in ("submissions", "scoring", "notifications", "reporting")
    }
    try:
        for service in services.values():
            await asyncio.to_thread(service.migrate)
            await asyncio.to_thread(service.start)
        yield services, clock_file
    finally:
        for service in services.values():
            service.stop()
        await databases.drop_all()


async def play(services: dict[str, OnClockFile], clock_file: Path) -> bool:
    return await load(
        submissions_url=services["submissions"].url,
        scoring_url=services["scoring"].url,
        reporting_url=services["reporting"].url,
        notifications_url="",
        clock_file=clock_file,
        size="small",
    )


async def get(url: str, path: str, **params: Any) -> Any:
    async with httpx.AsyncClient(base_url=url, headers=ADMIN, timeout=30) as client:
        response = await client.get(path, params=params)
        assert response.status_code == 200, response.text
        return response.json()


@pytest.mark.timeout(420)  # 64-112 s at load 5-15; 240 s at load 28
async def test_the_small_year_tells_the_story_of_2022_and_loads_once(
    year_system: tuple[dict[str, OnClockFile], Path],
) -> None:
    services, clock_file = year_system
    submissions, scoring = services["submissions"].url, services["scoring"].url
    reporting = services["reporting"].url
    year = plan_year(UNITS, size="small")

    assert await play(services, clock_file)

    # Initiatives came in every month, and were decided on many days of the year.
    trend = await get(reporting, "/api/v1/trend/2022")
    assert trend["as_of"] == AS_OF.isoformat()
    months = Counter(day["day"][:7] for day in trend["days"] if day["submitted"])
    assert len(months) == 11  # January to November
    assert len({day["day"] for day in trend["days"] if day["recognised"]}) >= 10
    kept = sum(1 for i in year.initiatives.values() if not i.withdrawn_on)
    assert trend["days"][-1]["cumulative_submitted"] == kept

    # Councils recognised most, did not recognise some, returned some to their authors
    # (resubmitted: round 2); one was withdrawn; the latest wait for or sit with a council.
    listed = await get(submissions, "/api/v1/initiatives", limit=500)
    statuses = Counter(i["status"] for i in listed["items"])
    assert listed["total"] == len(year.initiatives)
    assert statuses["recognised"] > statuses["not_recognised"] > 0
    assert statuses["withdrawn"] == 1 and statuses["under_review"] and statuses["submitted"]
    assert any(i["round"] == 2 for i in listed["items"])

    # Every union registered except two; the three returned ones were approved once resubmitted.
    registrations = (await get(submissions, "/api/v1/registrations", limit=500))["items"]
    registered = {r["unit_code"]: r for r in registrations if r["status"] == "approved"}
    assert not set(NEVER_REGISTERING) & registered.keys()
    assert len(registered) == len(registrations) == len(year.registering())
    for unit in REGISTRATION_RETURNED:
        returned = registered[unit]
        assert returned["updated_at"][:10] > returned["created_at"][:10]  # back a week later

    # Phase 1 closed with its sơ kết on 15/07; its proposals confirmed, one rejected.
    campaign = await get(submissions, "/api/v1/campaigns/2022")
    phases = {p["code"]: p for p in campaign["phases"]}
    assert phases["dot-1"]["status"] == "closed" and phases["dot-2"]["status"] == "open"
    awards = Counter(
        a["status"] for a in await get(scoring, "/api/v1/awards", campaign_code="2022")
    )
    assert awards["rejected"] == 1 and awards["confirmed"] >= 1 and not awards["proposed"]

    # The league tables have one union at their top, as the story worked out in advance.
    for phase in ("dot-1", "dot-2"):
        table = await get(reporting, f"/api/v1/league/2022/{phase}")
        assert table["closed"] == (phase == "dot-1")
        rows = table["rows"]
        assert rows[0]["rank"] == 1 and rows[1]["rank"] == 2
        assert [(r["unit_code"], r["points"], r["recognised"]) for r in rows[:3]] == league(
            year, phase
        )[:3]

    # Targets: the two units that never registered lag target 1; one complaint case drags on.
    progress = {
        t["number"]: t for t in (await get(reporting, "/api/v1/progress/2022/dot-2"))["targets"]
    }
    assert {u["code"] for u in progress[1]["lagging"]} == set(NEVER_REGISTERING)
    assert [u["code"] for u in progress[5]["lagging"]] == [OVERDUE_COMPLAINT_UNIT]
    assert progress[2]["met"] and progress[3]["met"]

    # A second run finds the year loaded and adds nothing.
    assert not await play(services, clock_file)
    again = await get(submissions, "/api/v1/initiatives", limit=1)
    assert again["total"] == len(year.initiatives)
