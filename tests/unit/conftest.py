"""The submissions app on a real SQLite database, seeded with the 2022 plan and the demo tree.

Kafka is not needed to accept or refuse input: events wait in the outbox."""

import contextlib
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from services.notifications.bootstrap import define as define_notifications
from services.notifications.config import NotificationsSettings
from services.scoring.bootstrap import define as define_scoring
from services.scoring.config import ScoringSettings
from services.submissions.bootstrap import define
from services.submissions.config import SubmissionsSettings
from services.submissions.demo import seed_campaign, seed_units, token
from shared.auth import Role
from shared.clock import Clock, FixedClock
from shared.formatting import VIETNAM_TIME
from shared.migrations import upgrade_to_head
from shared.service_app import create_app


@pytest.fixture(scope="module")
def submissions(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    folder = Path(tmp_path_factory.mktemp("submissions"))
    url = f"sqlite+aiosqlite:///{folder / 'db.sqlite3'}"
    upgrade_to_head("services.submissions", url)
    # Nothing listens on port 1: Kafka stays unreachable, as it may be in production.
    settings = SubmissionsSettings(
        database_url=url,
        kafka_bootstrap_servers="127.0.0.1:1",
        attachments_dir=str(folder / "attachments"),
        attachment_max_bytes=64 * 1024,
    )
    with TestClient(create_app(define(settings))) as client:
        seed_units(client)
        seed_campaign(client)
        yield client


@pytest.fixture(scope="module")
def scoring(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The scoring app on SQLite, Kafka unreachable."""
    url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('scoring') / 'db.sqlite3'}"
    upgrade_to_head("services.scoring", url)
    settings = ScoringSettings(database_url=url, kafka_bootstrap_servers="127.0.0.1:1")
    with TestClient(create_app(define_scoring(settings))) as client:
        yield client


@pytest.fixture(scope="module")
def notifications(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The notifications app on SQLite, Kafka and mail unreachable."""
    url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('notifications') / 'db.sqlite3'}"
    upgrade_to_head("services.notifications", url)
    settings = NotificationsSettings(
        database_url=url, kafka_bootstrap_servers="127.0.0.1:1", smtp_port=1
    )
    with TestClient(create_app(define_notifications(settings))) as client:
        yield client


ADMIN = token("CDDKVN-0001", "CDDKVN", Role.FEDERATION_ADMIN)
OFFICER_PVGAS = token("PVGAS-CB01", "PVGAS", Role.UNIT_OFFICER)
OFFICER_BSR = token("BSR-CB01", "BSR", Role.UNIT_OFFICER)
MEMBER_AN = token("PVGAS-0012", "PVGAS-KCM", Role.MEMBER)
MEMBER_BINH = token("BSR-0301", "BSR", Role.MEMBER)


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
