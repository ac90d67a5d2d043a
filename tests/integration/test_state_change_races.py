"""The same change asked for many times at once, through submissions and notifications as real
processes on real PostgreSQL and Kafka: exactly one of them makes it, or each replaces the
one before as one after another would; the others get a 4xx saying why (never a 500 from a
broken constraint), and the outbox holds one event per change really made."""

import asyncio
import json
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import asyncpg
import httpx
import pytest

from services.submissions.demo import seed_campaign, seed_units, token
from shared.auth import Role
from tests.support.infrastructure import REPO
from tests.support.services import ServiceProcess, running_service

pytestmark = pytest.mark.integration

ADMIN = token("CDDKVN-0001", "CDDKVN", Role.FEDERATION_ADMIN)
AT_ONCE = 20


@pytest.fixture(scope="module")
def log_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the services these races run write their logs (a file each, by name)."""
    return Path(tmp_path_factory.mktemp("race-logs"))


@pytest.fixture(scope="module")
async def submissions(kafka: str, postgres: str, log_dir: Path) -> AsyncIterator[ServiceProcess]:
    """Submissions with the union tree and the 2022 campaign, its phase 1 open."""
    async with running_service("submissions", postgres, kafka, log_dir) as service:
        with httpx.Client(base_url=service.url, timeout=30) as client:
            await asyncio.to_thread(seed_units, client)
            await asyncio.to_thread(seed_campaign, client)
        yield service


@pytest.fixture(scope="module")
async def notifications(kafka: str, postgres: str, log_dir: Path) -> AsyncIterator[ServiceProcess]:
    async with running_service("notifications", postgres, kafka, log_dir) as service:
        yield service


async def at_once(requests: list[tuple[str, str, dict[str, str], dict[str, Any]]]) -> Counter[int]:
    """The statuses of `requests` (method, url, headers, httpx arguments), all sent at once."""
    async with httpx.AsyncClient(timeout=60) as client:
        answers = await asyncio.gather(
            *(client.request(m, url, headers=h, **kw) for m, url, h, kw in requests)
        )
    for answer in answers:
        assert answer.status_code < 500, answer.text
    return Counter(answer.status_code for answer in answers)


async def events(service: ServiceProcess, key: str) -> list[str]:
    """The types of the events in the outbox keyed `key`, in the order written."""
    connection = await asyncpg.connect(service.database_url.replace("+asyncpg", ""))
    try:
        rows = await connection.fetch(
            "SELECT event_type FROM outbox WHERE message_key = $1 ORDER BY id", key
        )
    finally:
        await connection.close()
    return [row["event_type"].split(".")[-2] for row in rows]


async def new_unit(service: ServiceProcess) -> tuple[str, dict[str, str]]:
    """A grassroots union of its own below PVCFC, and its officer's headers."""
    code = f"RACE-{uuid4().hex[:6].upper()}"
    unit = {"code": code, "name": "Công đoàn thử", "parent_code": "PVCFC", "level": "grassroots"}
    async with httpx.AsyncClient(base_url=service.url, timeout=10, headers=ADMIN) as client:
        created = await client.post("/api/v1/units", json=unit)
    assert created.status_code == 201, created.text
    return code, token(f"{code}-CB01", code, Role.UNIT_OFFICER)


async def test_one_units_registration_drafted_many_times_at_once_is_one_draft(
    submissions: ServiceProcess,
) -> None:
    """Each draft replaces the unit's draft, as one after another would (a unique violation, a
    500, for those that found none and inserted one too)."""
    unit, officer = await new_unit(submissions)
    draft = {"phase_code": "dot-1", "unit_code": unit, "movement_codes": ["01-trieu-sang-kien"]}
    url = f"{submissions.url}/api/v1/registrations"
    assert await at_once([("POST", url, officer, {"json": draft})] * AT_ONCE) == {201: AT_ONCE}
    async with httpx.AsyncClient(timeout=10, headers=ADMIN) as client:
        listed = (await client.get(url, params={"under": unit})).json()["items"]
    assert len(listed) == 1 and listed[0]["status"] == "draft"


async def test_one_units_report_filed_many_times_at_once_is_one_report(
    submissions: ServiceProcess,
) -> None:
    """Filing again replaces the report (and publishes it again): one row, one event a filing."""
    unit, officer = await new_unit(submissions)
    report = {
        "phase_code": "dot-1",
        "unit_code": unit,
        "kind": "plan",
        "summary": "Kế hoạch thi đua đợt 1 của công đoàn cơ sở",
        "filed_on": "2022-03-01",
    }
    url = f"{submissions.url}/api/v1/reports"
    assert await at_once([("POST", url, officer, {"json": report})] * AT_ONCE) == {201: AT_ONCE}
    connection = await asyncpg.connect(submissions.database_url.replace("+asyncpg", ""))
    try:
        [row] = await connection.fetch("SELECT id FROM reports WHERE unit_code = $1", unit)
    finally:
        await connection.close()
    assert await events(submissions, str(row["id"])) == ["submitted"] * AT_ONCE


async def test_a_phase_closed_many_times_at_once_is_closed_once(
    submissions: ServiceProcess,
) -> None:
    """One close wins; the others read it closed (409) and publish nothing: each had
    published its own `phase closed` before."""
    campaign = await own_campaign(submissions)
    url = f"{submissions.url}/api/v1/campaigns/{campaign}/phases/dot-1/close"
    close = ("POST", url, ADMIN, {"json": {"closed_on": "2022-07-08"}})
    assert await at_once([close] * AT_ONCE) == {200: 1, 409: AT_ONCE - 1}
    assert await events(submissions, campaign) == ["published", "opened", "closed"]


async def test_entries_meeting_a_close_are_in_the_phase_before_it_or_refused(
    submissions: ServiceProcess,
) -> None:
    """Reports filed while the phase closes: each is stored before the close, stamped before
    it (scoring counts what happened before the close) and announced before `phase closed`,
    or refused (409). They are made to meet: another transaction holds the phase (FOR SHARE)
    while the close and then the reports start. Before, the reports read the phase open and
    were stored while the close waited, stamped after the close's time."""
    campaign = await own_campaign(submissions)
    units = [await new_unit(submissions) for _ in range(10)]
    close = f"{submissions.url}/api/v1/campaigns/{campaign}/phases/dot-1/close"
    reports = f"{submissions.url}/api/v1/reports"
    connection = await asyncpg.connect(submissions.database_url.replace("+asyncpg", ""))
    try:
        async with httpx.AsyncClient(timeout=60) as client:
            async with connection.transaction():
                await connection.execute(
                    "SELECT 1 FROM phases WHERE campaign_code = $1 AND code = 'dot-1' FOR SHARE",
                    campaign,
                )
                closing = asyncio.create_task(
                    client.post(close, json={"closed_on": "2022-07-08"}, headers=ADMIN)
                )
                await asyncio.sleep(0.5)
                filing = [
                    asyncio.create_task(
                        client.post(reports, headers=officer, json=result(campaign, unit))
                    )
                    for unit, officer in units
                ]
                await asyncio.sleep(1)
            closed, *filed = await asyncio.gather(closing, *filing)
        assert closed.status_code == 200, closed.text
        assert {answer.status_code for answer in filed} <= {201, 409}
        closed_at = await connection.fetchval(
            "SELECT closed_at FROM phases WHERE campaign_code = $1 AND code = 'dot-1'", campaign
        )
        stamped = await connection.fetch(
            "SELECT submitted_at FROM reports WHERE campaign_code = $1", campaign
        )
        order = await connection.fetch(
            "SELECT event_type FROM outbox WHERE payload LIKE $1 ORDER BY id", f"%{campaign}%"
        )
    finally:
        await connection.close()
    assert len(stamped) == sum(answer.status_code == 201 for answer in filed)
    assert all(row["submitted_at"] <= closed_at for row in stamped)
    assert order[-1]["event_type"].endswith("phase.closed.v1")


def result(campaign: str, unit: str) -> dict[str, Any]:
    """Phase 1's result report of `unit` in `campaign`."""
    return {
        "campaign_code": campaign,
        "phase_code": "dot-1",
        "unit_code": unit,
        "kind": "result",
        "summary": "Kết quả thi đua đợt 1 của công đoàn cơ sở",
        "filed_on": "2022-07-01",
    }


async def test_a_new_campaign_published_many_times_at_once_is_one_campaign(
    submissions: ServiceProcess,
) -> None:
    """Publishing again replaces the file while no phase has opened: each publication of a
    new code at once does, one after the other (the second insert of the code was a 500)."""
    code = f"r{uuid4().hex[:8]}"
    publish = ("POST", f"{submissions.url}/api/v1/campaigns", YAML, {"content": plan(code)})
    assert await at_once([publish] * 10) == {201: 10}
    assert await events(submissions, code) == ["published"] * 10


async def test_a_persons_contact_put_many_times_at_once_is_one_contact(
    notifications: ServiceProcess,
) -> None:
    """An admin's PUT and a person's own choices, each for someone not yet a contact: each
    replaces the one before (two inserts of the person were a 500)."""
    person = f"M-{uuid4().hex[:6]}"
    contact = {"full_name": "Nguyễn Văn An", "unit_code": "PVCFC", "email": "an@pvcfc.example"}
    url = f"{notifications.url}/api/v1/contacts/{person}"
    assert await at_once([("PUT", url, ADMIN, {"json": contact})] * AT_ONCE) == {200: AT_ONCE}
    member = token(f"{person}-2", "PVCFC", Role.MEMBER)
    mine = ("PUT", f"{notifications.url}/api/v1/me/contact", member, {"json": {"language": "en"}})
    assert await at_once([mine] * AT_ONCE) == {200: AT_ONCE}
    async with httpx.AsyncClient(timeout=10) as client:
        listed = (await client.get(f"{notifications.url}/api/v1/contacts", headers=ADMIN)).json()
    assert sorted(c["person_id"] for c in listed if c["person_id"].startswith(person)) == [
        person,
        f"{person}-2",
    ]


async def test_a_secret_rotated_many_times_at_once_keeps_the_last_two_handed_out(
    notifications: ServiceProcess,
) -> None:
    """Each rotation keeps the secret before it, as one after another would: the two the
    subscriber holds are the last two handed out. The rotations are made to meet: another
    transaction holds the row (FOR SHARE) while they start, so each has read it before any
    writes. Each then kept the original secret, and the new ones they answered with, but the
    last, were never stored."""
    async with httpx.AsyncClient(base_url=notifications.url, timeout=30, headers=ADMIN) as client:
        added = await client.post(
            "/api/v1/subscribers",
            json={"name": "Hệ thống nhân sự", "url": "https://hr.example.com/hook"},
        )
        assert added.status_code == 201, added.text
        subscriber = added.json()["id"]
        rotate = f"/api/v1/subscribers/{subscriber}/rotate-secret"
        connection = await asyncpg.connect(notifications.database_url.replace("+asyncpg", ""))
        try:
            async with connection.transaction():
                await connection.execute(
                    "SELECT 1 FROM webhook_subscribers WHERE id = $1 FOR SHARE", UUID(subscriber)
                )
                rotations = [asyncio.create_task(client.post(rotate)) for _ in range(10)]
                await asyncio.sleep(1)
            answers = await asyncio.gather(*rotations)
            stored = await connection.fetchval(
                "SELECT secrets FROM webhook_subscribers WHERE id = $1", UUID(subscriber)
            )
        finally:
            await connection.close()
    assert {answer.status_code for answer in answers} == {200}
    assert set(json.loads(stored)) <= {answer.json()["secret"] for answer in answers}


YAML = {**ADMIN, "content-type": "application/yaml"}


def plan(code: str) -> bytes:
    """The 2022 campaign file under the code `code`."""
    text = (REPO / "campaigns" / "2022.yaml").read_text("utf-8")
    return text.replace('code: "2022"', f'code: "{code}"', 1).encode()


async def own_campaign(service: ServiceProcess) -> str:
    """The 2022 plan under a fresh code, its phase 1 open: its code."""
    code = f"r{uuid4().hex[:8]}"
    async with httpx.AsyncClient(base_url=service.url, timeout=30, headers=ADMIN) as client:
        published = await client.post("/api/v1/campaigns", content=plan(code), headers=YAML)
        assert published.status_code == 201, published.text
        opened = await client.post(f"/api/v1/campaigns/{code}/phases/dot-1/open")
        assert opened.status_code == 200, opened.text
    return code
