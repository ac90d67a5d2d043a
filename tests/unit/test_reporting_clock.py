"""Reporting on the campaign's calendar: initiatives count on the day they were received
(an officer keyed them in years later), and figures are "as of" the campaign's today, or the
last day of its period once it is over. The service runs with a `FixedClock` on SQLite, its
read models filled by its own projection handlers (Kafka unreachable)."""

import asyncio
import csv
import dataclasses
import io
from collections.abc import Iterator
from datetime import UTC, date, datetime
from uuid import UUID

import openpyxl
import pytest
from fastapi.testclient import TestClient

from services.reporting.bootstrap import define
from services.submissions.demo import CAMPAIGN
from shared import contracts
from shared.campaign.loader import load_campaign
from shared.clock import FixedClock
from shared.formatting import VIETNAM_TIME
from shared.migrations import upgrade_to_head
from shared.service_app import create_app
from tests.unit.conftest import ADMIN, campaign_day, reporting_settings
from tests.unit.event_examples import (
    decision,
    federation,
    published,
    report,
    submitted,
    unit,
)
from tests.unit.handler_harness import fill_database

PLAN = load_campaign(CAMPAIGN)
# The day the figures are looked at: years after the campaign, as on `make run`'s data.
LOOKED_AT = datetime(2026, 12, 6, 15, tzinfo=VIETNAM_TIME)
KEYED_IN = datetime(2026, 12, 1, 2, tzinfo=UTC)  # when every paper file was typed in
RECEIVED = {1: date(2022, 3, 15), 2: date(2022, 5, 20), 3: date(2022, 5, 28)}


def initiative(number: int) -> contracts.InitiativeSubmitted:
    """Paper file `number`, keyed in years after it was received."""
    author = contracts.InitiativeAuthor(
        member_id=f"PVGAS-00{number}", full_name="Tác giả", share_percent=100
    )
    return submitted(
        initiative_id=UUID(int=number),
        title=f"Sáng kiến giấy số {number}",
        authors=(author,),
        expected_benefit_vnd=number * 100_000_000,
        submitted_by="PVGAS-CB01",
        submitted_at=KEYED_IN,
        received_on=RECEIVED[number],
    )


def events() -> list[contracts.EventData]:
    filed = {"figures": {"activities-implemented": 100.0}, "filed_on": date(2022, 7, 8)}
    return [
        published(PLAN),
        federation(),
        unit(name="Công đoàn Tổng công ty Khí Việt Nam"),
        *(initiative(n) for n in RECEIVED),
        decision(
            contracts.InitiativeRecognised,
            initiative_id=UUID(int=3),
            title="Sáng kiến giấy số 3",
            decided_at=KEYED_IN,
        ),
        report(KEYED_IN).model_copy(update={"report_id": UUID(int=10), **filed}),
        *complaint_cases(),
    ]


# Three cases: settled a day late, open past its due day, open and not yet due (on 15/06).
CASES: dict[int, tuple[date, date | None]] = {
    21: (date(2022, 4, 1), date(2022, 4, 11)),
    22: (date(2022, 5, 1), None),
}
CASES[23] = (date(2022, 6, 30), None)


def complaint_cases() -> list[contracts.EventData]:
    cases: list[contracts.EventData] = []
    for number, (due_on, resolved_on) in CASES.items():
        common = {
            "case_id": UUID(int=number),
            "campaign_code": "2022",
            "unit_code": "PVGAS",
            "received_on": date(2022, 3, 1),
            "due_on": due_on,
            "recorded_by": "PVGAS-CB01",
        }
        cases.append(contracts.ComplaintCaseOpened(**common))
        if resolved_on is not None:
            cases.append(contracts.ComplaintCaseResolved(**common, resolved_on=resolved_on))
    return cases


@pytest.fixture(scope="module")
def reporting(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    settings = reporting_settings(tmp_path_factory.mktemp("reporting-clock"))
    upgrade_to_head("services.reporting", settings.database_url)
    asyncio.run(fill_database(define(settings), events()))
    service = dataclasses.replace(define(settings), clock=FixedClock(LOOKED_AT))
    with TestClient(create_app(service)) as client:
        yield client


def test_the_trend_counts_the_days_received_as_of_the_campaigns_last_day(
    reporting: TestClient,
) -> None:
    trend = reporting.get("/api/v1/trend/2022").json()
    assert trend["as_of"] == "2022-12-31"  # looked at in 2026: the campaign is over
    assert [(d["day"], d["cumulative_submitted"]) for d in trend["days"]] == [
        ("2022-03-15", 1),
        ("2022-05-20", 2),
        ("2022-05-28", 3),
    ]
    page = reporting.get("/dashboard/2022").text
    assert "Đến ngày 31/12/2022: 3 sáng kiến đã nộp, 1 được công nhận." in page
    assert "2026" not in page.split('id="trend-latest"')[1].split("</p>")[0]


def test_during_the_campaign_figures_are_as_of_its_today(reporting: TestClient) -> None:
    with campaign_day(reporting, date(2022, 6, 15)):
        trend = reporting.get("/api/v1/trend/2022").json()
        page = reporting.get("/dashboard/2022?lang=en").text
    assert trend["as_of"] == "2022-06-15"
    assert "By 15/06/2022: 3 initiatives submitted, 1 recognised." in page


def test_the_honour_board_and_the_months_are_the_campaigns(reporting: TestClient) -> None:
    honour = reporting.get("/api/v1/honour-board/2022").json()
    assert [(i["title"], i["submitted_on"]) for i in honour["initiatives"]] == [
        ("Sáng kiến giấy số 3", "2022-05-28")
    ]
    summary = reporting.get("/api/v1/summary/2022", headers=ADMIN).json()
    assert summary["initiatives"]["by_month"] == {"2022-03": 1, "2022-05": 2}


def test_the_exports_months_reports_and_title_are_the_campaigns(reporting: TestClient) -> None:
    months = reporting.get("/api/v1/exports/2022/dot-1/theo-thang.csv", headers=ADMIN)
    assert months.status_code == 200, months.text
    rows = list(csv.reader(io.StringIO(months.content.decode("utf-8-sig"))))
    assert [(r[0], r[1]) for r in rows[1:]] == [("03/2022", "1"), ("05/2022", "2")]
    reports = reporting.get("/api/v1/exports/2022/dot-1/bao-cao.csv", headers=ADMIN)
    pvgas = next(
        r for r in csv.reader(io.StringIO(reports.content.decode("utf-8-sig"))) if r[0] == "PVGAS"
    )
    assert "Đúng hạn" in pvgas and "08/07/2022" in pvgas  # filed on, not keyed in
    workbook = openpyxl.load_workbook(
        io.BytesIO(reporting.get("/api/v1/exports/2022/dot-1.xlsx", headers=ADMIN).content)
    )
    title = workbook.worksheets[0].cell(row=1, column=1).value
    assert "số liệu đến ngày 31/12/2022" in str(title)


def test_the_summary_counts_overdue_cases_as_of_the_campaigns_today(reporting: TestClient) -> None:
    def complaints(day: date) -> dict[str, int]:
        with campaign_day(reporting, day):
            summary = reporting.get("/api/v1/summary/2022", headers=ADMIN)
        assert summary.status_code == 200, summary.text
        figures: dict[str, int] = summary.json()["complaints"]
        return figures

    assert complaints(date(2022, 3, 31)) == {"open": 3, "overdue": 0}  # 21 settled later
    assert complaints(date(2022, 6, 15)) == {"open": 2, "overdue": 2}  # cases 21 and 22
    assert complaints(date(2022, 7, 1)) == {"open": 2, "overdue": 3}
