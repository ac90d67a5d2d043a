"""Notifications on the campaign's clock: the service defined with a `FixedClock` stamps the
messages events cause with it, and its scheduler (given the service's clock at start) reminds
officers of a deadline 3 days ahead and sends the digest of the campaign's day, not the
machine's. On SQLite, Kafka unreachable: the events go through the service's own handlers."""

import asyncio
import time
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from services.notifications.bootstrap import define
from services.notifications.tables import Contact
from services.submissions.demo import CAMPAIGN
from shared.campaign.loader import load_campaign
from shared.clock import FixedClock
from shared.contracts import EventData, RegistrationApproved
from shared.formatting import VIETNAM_TIME
from shared.migrations import upgrade_to_head
from shared.service_app import create_app
from tests.unit.conftest import ADMIN, notifications_settings
from tests.unit.event_examples import federation, phase_opened, published, unit
from tests.unit.handler_harness import fill_database

PLAN = load_campaign(CAMPAIGN)
# 10:00 on 7 July 2022 in Vietnam: phase 1's reports are due on 10 July, in 3 days.
NOW = datetime(2022, 7, 7, 10, tzinfo=VIETNAM_TIME)
OFFICER = "PVGAS-CB01"


def events() -> list[EventData]:
    return [
        published(PLAN),
        federation(),
        unit("Công đoàn Tổng công ty Khí Việt Nam"),
        phase_opened(
            starts_on=date(2022, 1, 1), opened_at=datetime(2022, 2, 16, 9, tzinfo=VIETNAM_TIME)
        ),
        RegistrationApproved(
            registration_id=UUID(int=1),
            campaign_code="2022",
            phase_code="dot-1",
            unit_code="PVGAS",
            movement_codes=("lao-dong-gioi-sang-tao",),
            actor="CDDKVN-0001",
            at=datetime(2022, 3, 1, 9, tzinfo=VIETNAM_TIME),
        ),
    ]


def officer_on_the_digest() -> Contact:
    return Contact(
        person_id=OFFICER,
        full_name="Trần Văn Cán",
        unit_code="PVGAS",
        email="can.tv@pvgas.vn",
        is_officer=True,
        daily_digest=True,
    )


@pytest.fixture(scope="module")
def notifications(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    # Its SMTP port 1: nothing listens, the digest's email waits, as the test reads it.
    settings = notifications_settings(tmp_path_factory.mktemp("notifications-clock"))
    settings = settings.model_copy(
        update={"reminder_days": [3], "digest_hour": 8, "scheduler_interval_seconds": 0.2}
    )
    upgrade_to_head("services.notifications", settings.database_url)
    service = define(settings, FixedClock(NOW))
    asyncio.run(fill_database(service, events(), officer_on_the_digest()))
    # The scheduler's first pass starts with the service: on NOW, by the clock given.
    with TestClient(create_app(define(settings, FixedClock(NOW)))) as client:
        yield client


def eventually(probe: Any, accept: Any, timeout: float = 10.0) -> Any:
    deadline = time.monotonic() + timeout
    while not accept(value := probe()) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert accept(value), value
    return value


def inbox(client: TestClient) -> list[dict[str, Any]]:
    response = client.get(f"/api/v1/inbox/{OFFICER}", headers=ADMIN)
    assert response.status_code == 200, response.text
    messages: list[dict[str, Any]] = response.json()
    return messages


def test_a_message_an_event_causes_is_stamped_by_the_campaigns_clock(
    notifications: TestClient,
) -> None:
    approved = next(m for m in inbox(notifications) if m["trigger"] == "registration_approved")
    assert datetime.fromisoformat(approved["created_at"]) == NOW
    assert approved["created_on_display"].endswith("07/07/2022")


def test_officers_are_reminded_of_the_deadline_days_ahead_on_the_campaigns_clock(
    notifications: TestClient,
) -> None:
    messages = eventually(
        lambda: inbox(notifications), lambda ms: any(m["trigger"] == "report_due" for m in ms)
    )
    reminder = next(m for m in messages if m["trigger"] == "report_due")
    assert "còn 3 ngày" in reminder["subject"]
    assert "10/07/2022" in reminder["body"]
    assert datetime.fromisoformat(reminder["created_at"]) == NOW


def test_the_digest_is_of_the_campaigns_day(notifications: TestClient) -> None:
    def digests() -> list[dict[str, Any]]:
        response = notifications.get("/api/v1/deliveries?channel=email", headers=ADMIN)
        return [d for d in response.json() if d["event_type"] == "thidua.digest.daily"]

    [digest] = eventually(digests, lambda ds: len(ds) == 1)
    assert digest["subject"].startswith("Tóm tắt thông báo ngày 07/07/2022")
    assert digest["recipient_id"] == OFFICER
