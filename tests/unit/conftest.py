"""The services' apps on real SQLite databases, one database per test: submissions' seeded with
the 2022 plan and the demo tree.

Kafka is not needed to accept or refuse input: events wait in the outbox."""

import contextlib
import dataclasses
import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlmodel import SQLModel

from services.notifications.bootstrap import define as define_notifications
from services.notifications.config import NotificationsSettings
from services.notifications.tables import InboxMessage
from services.reporting.bootstrap import define as define_reporting
from services.reporting.config import ReportingSettings
from services.scoring.bootstrap import define as define_scoring
from services.scoring.config import ScoringSettings
from services.scoring.tables import CampaignCopy
from services.submissions.bootstrap import define
from services.submissions.config import SubmissionsSettings
from services.submissions.demo import CAMPAIGN, seed_campaign, seed_units, token
from shared.auth import Role
from shared.campaign.loader import load_campaign
from shared.campaign.model import Campaign
from shared.clock import Clock, FixedClock
from shared.formatting import VIETNAM_TIME
from shared.migrations import upgrade_to_head
from shared.service_app import ServiceDefinition, create_app
from tests.unit.portal_helpers import PORTAL, portal_app


def sqlite_url(folder: Path) -> str:
    return f"sqlite+aiosqlite:///{folder / 'db.sqlite3'}"


def submissions_settings(folder: Path) -> SubmissionsSettings:
    # Nothing listens on port 1: Kafka stays unreachable, as it may be in production.
    return SubmissionsSettings(
        database_url=sqlite_url(folder),
        kafka_bootstrap_servers="127.0.0.1:1",
        attachments_dir=str(folder / "attachments"),
        attachment_max_bytes=64 * 1024,
    )


def scoring_settings(folder: Path) -> ScoringSettings:
    return ScoringSettings(database_url=sqlite_url(folder), kafka_bootstrap_servers="127.0.0.1:1")


def reporting_settings(folder: Path) -> ReportingSettings:
    return ReportingSettings(database_url=sqlite_url(folder), kafka_bootstrap_servers="127.0.0.1:1")


def notifications_settings(folder: Path) -> NotificationsSettings:
    return NotificationsSettings(
        database_url=sqlite_url(folder), kafka_bootstrap_servers="127.0.0.1:1", smtp_port=1
    )


def copy_database(template: Path, folder: Path) -> Path:
    """A test's own database: a copy of the template's file (its app closed, nothing pending:
    SQLite's journal is gone once the last connection closes)."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template / "db.sqlite3", folder / "db.sqlite3")
    return folder


def app_on_copy(
    template: Path,
    folder: Path,
    define_service: Callable[[Any], ServiceDefinition],
    settings: Callable[[Path], Any],
) -> Iterator[TestClient]:
    """The app `define_service` makes of `settings` for `folder`, on a copy of `template`'s
    database there."""
    copy_database(template, folder)
    with TestClient(create_app(define_service(settings(folder)))) as client:
        yield client


# Each test gets an app of its own on a database of its own, so no test sees what another
# wrote (issue 17: every test stands alone). Migrating and seeding take a second or more, so
# they are done once, into a template, which each test copies.


def seeded_submissions(folder: Path, clock: Clock | None = None) -> Path:
    """A submissions database in `folder`, migrated and seeded through the app: the demo union
    tree and the 2022 plan, its phase 1 opened on `clock`'s today (the system's by default)."""
    upgrade_to_head("services.submissions", sqlite_url(folder))
    with submissions_app(folder, clock) as client:
        seed_units(client)
        seed_campaign(client)
    return folder


@contextlib.contextmanager
def submissions_app(
    folder: Path, clock: Clock | None = None, template: Path | None = None
) -> Iterator[TestClient]:
    """The submissions app on the database in `folder` (first copied from `template`'s, if
    given), on the campaign's `clock` if given, Kafka unreachable."""
    if template is not None:
        copy_database(template, folder)
    service = define(submissions_settings(folder))
    if clock is not None:
        service = dataclasses.replace(service, clock=clock)
    with TestClient(create_app(service)) as client:
        yield client


@pytest.fixture(scope="session")
def campaign_2022() -> Campaign:
    """The 2022 plan as campaigns/2022.yaml states it: loaded once, frozen, so tests share it."""
    return load_campaign(CAMPAIGN)


@pytest.fixture(scope="session")
def submissions_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return seeded_submissions(tmp_path_factory.mktemp("submissions-template"))


@pytest.fixture(scope="session")
def scoring_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("scoring-template")
    upgrade_to_head("services.scoring", sqlite_url(folder))
    return folder


@pytest.fixture(scope="session")
def notifications_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("notifications-template")
    upgrade_to_head("services.notifications", sqlite_url(folder))
    return folder


@pytest.fixture(scope="session")
def reporting_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("reporting-template")
    upgrade_to_head("services.reporting", sqlite_url(folder))
    return folder


@pytest.fixture
def submissions(submissions_template: Path, tmp_path: Path) -> Iterator[TestClient]:
    """The submissions app on a fresh copy of the seeded database, Kafka unreachable."""
    with submissions_app(tmp_path / "submissions", template=submissions_template) as client:
        yield client


@pytest.fixture
def scoring(scoring_template: Path, tmp_path: Path) -> Iterator[TestClient]:
    """The scoring app on a fresh SQLite database, Kafka unreachable."""
    yield from app_on_copy(scoring_template, tmp_path / "scoring", define_scoring, scoring_settings)


@pytest.fixture
def notifications(notifications_template: Path, tmp_path: Path) -> Iterator[TestClient]:
    """The notifications app on a fresh SQLite database, Kafka and mail unreachable."""
    yield from app_on_copy(
        notifications_template,
        tmp_path / "notifications",
        define_notifications,
        notifications_settings,
    )


@pytest.fixture
def reporting(reporting_template: Path, tmp_path: Path) -> Iterator[TestClient]:
    """The reporting app on a fresh SQLite database (its read models empty), Kafka unreachable."""
    yield from app_on_copy(
        reporting_template, tmp_path / "reporting", define_reporting, reporting_settings
    )


@pytest.fixture
def every_service(
    submissions: TestClient, scoring: TestClient, notifications: TestClient, reporting: TestClient
) -> dict[str, TestClient]:
    """The four apps by service name, each on a database of its own."""
    return {
        "submissions": submissions,
        "scoring": scoring,
        "notifications": notifications,
        "reporting": reporting,
    }


ADMIN = token("CDDKVN-0001", "CDDKVN", Role.FEDERATION_ADMIN)
OFFICER_PVGAS = token("PVGAS-CB01", "PVGAS", Role.UNIT_OFFICER)
OFFICER_BSR = token("BSR-CB01", "BSR", Role.UNIT_OFFICER)
MEMBER_AN = token("PVGAS-0012", "PVGAS-KCM", Role.MEMBER)
MEMBER_BINH = token("BSR-0301", "BSR", Role.MEMBER)


def initiative_body(**changes: Any) -> dict[str, Any]:
    """A valid body for `POST /api/v1/initiatives`: member An's (PVGAS-0012) initiative, his
    alone, in PVGAS-KCM (the seeded tree's); `changes` replace or add fields."""
    body = {
        "title": "Cải tiến quy trình bảo dưỡng máy nén khí",
        "unit_code": "PVGAS-KCM",
        "field": "technical",
        "problem": "Máy nén dừng đột xuất nhiều lần mỗi quý.",
        "solution": "Bảo dưỡng theo tình trạng dựa trên đo rung động.",
        "authors": [
            {"member_id": "PVGAS-0012", "full_name": "Nguyễn Văn An", "share_percent": 100}
        ],
        "expected_benefit_vnd": 350_000_000,
    }
    return body | changes


def submitted_by_an(submissions: TestClient, **changes: Any) -> str:
    """The id of an initiative member An has just submitted (`initiative_body(**changes)`)."""
    created = submissions.post(
        "/api/v1/initiatives", json=initiative_body(**changes), headers=MEMBER_AN
    )
    assert created.status_code == 201, created.text
    return str(created.json()["id"])


def report_body(**changes: Any) -> dict[str, Any]:
    """A valid body for `POST /api/v1/reports`: BSR's results for phase 1 (due 10/07/2022);
    `changes` replace or add fields."""
    return {
        "phase_code": "dot-1",
        "unit_code": "BSR",
        "kind": "result",
        "figures": {"activities-implemented": 100},
        "summary": "Báo cáo sơ kết đợt 1 năm 2022",
    } | changes


def complaint_body(unit_code: str, summary: str) -> dict[str, str]:
    """A valid body for `POST /api/v1/complaints`: a complaint received on 1 March 2022."""
    return {"unit_code": unit_code, "summary": summary, "received_on": "2022-03-01"}


def first_error(response: httpx.Response, status: int) -> dict[str, Any]:
    """The first error a refusal names, once its status is the one expected."""
    assert response.status_code == status, response.text
    error: dict[str, Any] = response.json()["errors"][0]
    return error


def store_rows(client: TestClient, *rows: SQLModel) -> None:
    """`rows` written straight to the app's database in one transaction, as its consumer would
    have left them (merged: a row already there is replaced; the objects given stay detached)."""

    async def store() -> None:
        async with client.app.state.sessions() as session, session.begin():  # type: ignore[attr-defined]
            for row in rows:
                await session.merge(row)

    client.portal.call(store)  # type: ignore[union-attr]


def keep_the_plan(scoring: TestClient) -> None:
    """Scoring holds the 2022 plan as it keeps a published campaign (its council sits with at
    least 3 members)."""
    campaign = load_campaign(CAMPAIGN)
    copy = CampaignCopy(code=campaign.code, definition=campaign.model_dump(mode="json"))
    store_rows(scoring, copy)


@pytest.fixture
def scoring_keeps_the_plan(scoring: TestClient) -> None:
    """For the tests of councils, which need the campaign's council rule: `keep_the_plan`."""
    keep_the_plan(scoring)


def inbox_message(recipient: str, **changes: Any) -> InboxMessage:
    """A message in `recipient`'s inbox, unread, as a consumed event leaves it; `changes`
    replace its fields."""
    fields: dict[str, Any] = {
        "id": uuid4(),
        "event_id": uuid4(),
        "trigger": "initiative_recognised",
        "recipient_id": recipient,
        "subject": "Sáng kiến được công nhận",
        "body": "Sáng kiến của bạn đã được công nhận.",
        "created_at": datetime.now(UTC),
    }
    return InboxMessage(**fields | changes)


@contextlib.contextmanager
def campaign_day(client: TestClient, day: date, hour: int = 9) -> Iterator[FixedClock]:
    """The app's campaign clock stands at `hour` on `day` in Vietnam meanwhile (its routes read
    `app.state.clock` at each request), then is what it was."""
    app = client.app
    before: Clock = app.state.clock  # type: ignore[attr-defined]
    clock = FixedClock(datetime.combine(day, time(hour), VIETNAM_TIME))
    app.state.clock = clock  # type: ignore[attr-defined]
    try:
        yield clock
    finally:
        app.state.clock = before  # type: ignore[attr-defined]


@pytest.fixture
def portal(submissions: TestClient, notifications: TestClient) -> Iterator[TestClient]:
    """The portal on submissions and notifications (tests/unit/portal_helpers.py)."""
    app = portal_app(submissions=submissions, notifications=notifications)
    # Each request sent from its own origin, as a browser sends a form (csrf_guard refuses a
    # POST with neither Origin nor Referer).
    with TestClient(app, base_url=PORTAL, headers={"origin": PORTAL}) as client:
        yield client


@pytest.fixture
def portal_on_every_service(
    submissions: TestClient, scoring: TestClient, notifications: TestClient
) -> Iterator[TestClient]:
    """The portal on every service it calls, each request sent from its own origin (as a
    browser sends a form)."""
    app = portal_app(submissions=submissions, scoring=scoring, notifications=notifications)
    with TestClient(app, base_url=PORTAL, headers={"origin": PORTAL}) as client:
        yield client
