"""Submissions on the campaign's own clock: a service given `FixedClock` times every act by
it, and the dates a fact carries (a report filed, a complaint received or resolved, a phase
closed) are days of the campaign, not after its today, refused otherwise with the field named
in both languages."""

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from services.submissions.demo import CAMPAIGN
from shared import contracts
from shared.campaign.calendar import as_of, campaign_days, period
from shared.campaign.loader import load_campaign
from shared.clock import FixedClock
from shared.formatting import VIETNAM_TIME
from tests.unit.conftest import (
    ADMIN,
    OFFICER_BSR,
    campaign_day,
    report_body,
    seeded_submissions,
    submissions_app,
)
from tests.unit.submissions_helpers import outbox_events

# 09:00 on 20 July 2022 in Vietnam: phase 1 ended on 30 June, its reports were due on 10 July.
TODAY = datetime(2022, 7, 20, 9, tzinfo=VIETNAM_TIME)
# The same plan a year earlier: a campaign that is over on TODAY.
PAST = (
    CAMPAIGN.read_text("utf-8")
    .replace('code: "2022"', 'code: "2021"')
    .replace("2022-", "2021-")
    .replace("2023-", "2022-")
)


@pytest.fixture(scope="session")
def on_clock_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Seeded on TODAY: 2022 published and its phase 1 opened on TODAY.
    return seeded_submissions(tmp_path_factory.mktemp("submissions-clock"), FixedClock(TODAY))


@pytest.fixture
def on_clock(on_clock_template: Path, tmp_path: Path) -> Iterator[TestClient]:
    """Submissions defined as the process defines it, with the campaign's clock replaced; on a
    database of its own, a copy of the one seeded on TODAY."""
    with submissions_app(tmp_path / "db", FixedClock(TODAY), on_clock_template) as client:
        yield client


def refusal(response: Any) -> dict[str, str]:
    assert response.status_code == 422, response.text
    error: dict[str, str] = response.json()["errors"][0]
    assert error["message_vi"] and error["message_en"]
    return error


def test_the_service_runs_on_the_clock_it_is_given(on_clock: TestClient) -> None:
    opened = on_clock.get("/api/v1/campaigns/2022", headers=ADMIN).json()["phases"][0]
    assert datetime.fromisoformat(opened["opened_at"]) == TODAY

    filed = on_clock.post("/api/v1/reports", json=report_body(kind="plan"), headers=OFFICER_BSR)
    assert filed.status_code == 201, filed.text
    assert filed.json()["filed_on"] == "2022-07-20"
    assert datetime.fromisoformat(filed.json()["submitted_at"]) == TODAY
    event = outbox_events(on_clock, contracts.ReportSubmitted)[-1]
    assert event["filed_on"] == "2022-07-20"
    assert datetime.fromisoformat(event["submitted_at"]) == TODAY.astimezone(UTC)


def test_a_report_is_late_by_the_day_it_was_filed_not_the_day_it_was_typed_in(
    on_clock: TestClient,
) -> None:
    on_time = on_clock.post(
        "/api/v1/reports", json=report_body(filed_on="2022-07-08"), headers=OFFICER_BSR
    )
    assert on_time.status_code == 201, on_time.text
    assert on_time.json()["late"] is False  # due 10/07/2022, keyed in on 20/07/2022
    late = on_clock.post(
        "/api/v1/reports", json=report_body(filed_on="2022-07-11"), headers=OFFICER_BSR
    )
    assert late.json()["late"] is True and late.json()["filed_on"] == "2022-07-11"
    event = outbox_events(on_clock, contracts.ReportSubmitted)[-1]
    assert (event["filed_on"], event["late"]) == ("2022-07-11", True)


def test_a_report_is_refused_on_a_day_outside_the_campaign_or_after_today(
    on_clock: TestClient,
) -> None:
    future = refusal(
        on_clock.post(
            "/api/v1/reports", json=report_body(filed_on="2022-07-21"), headers=OFFICER_BSR
        )
    )
    assert (future["field"], future["code"]) == ("filed_on", "date_in_future")
    assert "21/07/2022" in future["message_vi"] and "20/07/2022" in future["message_vi"]

    before = refusal(
        on_clock.post(
            "/api/v1/reports", json=report_body(filed_on="2021-12-31"), headers=OFFICER_BSR
        )
    )
    assert (before["field"], before["code"]) == ("filed_on", "outside_campaign")
    assert "01/01/2022 – 10/01/2023" in before["message_vi"]


@pytest.mark.parametrize("value", [150, 100.5, -1])
def test_a_report_figure_is_a_percentage_from_0_to_100(on_clock: TestClient, value: float) -> None:
    error = refusal(
        on_clock.post(
            "/api/v1/reports",
            json=report_body(figures={"activities-implemented": value}),
            headers=OFFICER_BSR,
        )
    )
    assert (error["field"], error["code"]) == (
        "figures.activities-implemented",
        "percent_out_of_range",
    )
    assert "0 đến 100" in error["message_vi"]


def complaint(received_on: str) -> dict[str, str]:
    return {
        "unit_code": "BSR",
        "summary": "Đơn khiếu nại về chế độ ca kíp",
        "received_on": received_on,
    }


def test_a_complaint_is_received_in_the_campaigns_year_and_not_after_today(
    on_clock: TestClient,
) -> None:
    outside = refusal(
        on_clock.post("/api/v1/complaints", json=complaint("2021-12-15"), headers=OFFICER_BSR)
    )
    assert (outside["field"], outside["code"]) == ("received_on", "outside_campaign")
    future = refusal(
        on_clock.post("/api/v1/complaints", json=complaint("2022-08-01"), headers=OFFICER_BSR)
    )
    assert (future["field"], future["code"]) == ("received_on", "date_in_future")
    with campaign_day(on_clock, date(2027, 3, 1)):  # the year is over: 2027 is not in it
        late = refusal(
            on_clock.post("/api/v1/complaints", json=complaint("2027-01-01"), headers=OFFICER_BSR)
        )
    assert (late["field"], late["code"]) == ("received_on", "outside_campaign")
    assert "01/01/2022 – 31/12/2022" in late["message_vi"]


def test_a_complaint_is_resolved_between_its_receipt_and_today(on_clock: TestClient) -> None:
    opened = on_clock.post("/api/v1/complaints", json=complaint("2022-03-01"), headers=OFFICER_BSR)
    assert opened.status_code == 201, opened.text
    url = f"/api/v1/complaints/{opened.json()['id']}/resolve"
    before = refusal(on_clock.post(url, json={"resolved_on": "2022-02-28"}, headers=OFFICER_BSR))
    assert (before["field"], before["code"]) == ("resolved_on", "resolved_out_of_range")
    future = refusal(on_clock.post(url, json={"resolved_on": "2022-07-21"}, headers=OFFICER_BSR))
    assert (future["field"], future["code"]) == ("resolved_on", "date_in_future")
    resolved = on_clock.post(url, json={"resolved_on": "2022-04-05"}, headers=OFFICER_BSR)
    assert resolved.status_code == 200 and resolved.json()["overdue"] is True  # due 31/03
    event = outbox_events(on_clock, contracts.ComplaintCaseResolved)[-1]
    assert event["resolved_on"] == "2022-04-05"
    assert datetime.fromisoformat(event["recorded_at"]) == TODAY


def test_a_case_is_overdue_by_the_campaigns_today(on_clock: TestClient) -> None:
    opened = on_clock.post("/api/v1/complaints", json=complaint("2022-07-01"), headers=OFFICER_BSR)
    assert opened.json()["due_on"] == "2022-07-31" and opened.json()["overdue"] is False

    def overdue() -> set[str]:
        listed = on_clock.get("/api/v1/complaints?overdue_only=true", headers=OFFICER_BSR)
        return {c["id"] for c in listed.json()}

    assert opened.json()["id"] not in overdue()
    with campaign_day(on_clock, date(2022, 8, 15)):
        assert opened.json()["id"] in overdue()


def test_a_phase_of_a_campaign_that_is_over_closes_on_the_day_given(
    on_clock: TestClient,
) -> None:
    published = on_clock.post(
        "/api/v1/campaigns",
        content=PAST.encode(),
        headers={**ADMIN, "content-type": "application/yaml"},
    )
    assert published.status_code == 201, published.text
    base = "/api/v1/campaigns/2021/phases/dot-1"
    assert on_clock.post(f"{base}/open", headers=ADMIN).status_code == 200

    unsaid = refusal(on_clock.post(f"{base}/close", json={}, headers=ADMIN))
    assert (unsaid["field"], unsaid["code"]) == ("closed_on", "outside_campaign")
    assert unsaid["message_vi"].startswith("Hôm nay (20/07/2022) nằm ngoài thời gian")
    assert "ngày đóng đợt" in unsaid["message_vi"]
    before = refusal(
        on_clock.post(f"{base}/close", json={"closed_on": "2020-12-31"}, headers=ADMIN)
    )
    assert (before["field"], before["code"]) == ("closed_on", "outside_campaign")

    closed = on_clock.post(f"{base}/close", json={"closed_on": "2021-07-15"}, headers=ADMIN)
    assert closed.status_code == 200, closed.text
    assert closed.json()["closed_on"] == "2021-07-15"
    event = outbox_events(on_clock, contracts.PhaseClosed)[-1]
    assert (event["campaign_code"], event["closed_on"], event["forced"]) == (
        "2021",
        "2021-07-15",
        False,
    )
    assert datetime.fromisoformat(event["closed_at"]) == TODAY


def test_the_campaigns_days_and_the_day_its_figures_are_as_of() -> None:
    plan = load_campaign(CAMPAIGN)
    assert (period(plan).starts_on, period(plan).ends_on) == (date(2022, 1, 1), date(2022, 12, 31))
    # The results of phase 2 are due after the year ends: still a day of the campaign.
    assert campaign_days(plan).ends_on == date(2023, 1, 10)
    assert date(2023, 1, 10) in campaign_days(plan) and date(2023, 1, 10) not in period(plan)
    assert as_of(plan, date(2022, 5, 1)) == date(2022, 5, 1)
    assert as_of(plan, date(2026, 12, 6)) == date(2022, 12, 31)  # over: as of its last day
