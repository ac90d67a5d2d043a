"""A complaint case's days are bounded (shared.contracts.bounds.DAY_MIN … DAY_MAX): a due date
of 9999-12-31 has no day after it, and `overdue_within` computing that day answered 500 (a
fuzzer found it). The campaign file's dates are bounded alike, so a day inside a campaign plus
its resolution days always exists."""

from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from shared.campaign.loader import CampaignFileError, load_campaign_text
from shared.campaign.progress import overdue_on, overdue_within
from tests.unit.conftest import OFFICER_PVGAS, complaint_body, first_error

EXAMPLE = Path(__file__).resolve().parents[2] / "campaigns" / "examples" / "2023.yaml"


def test_a_due_date_past_the_last_day_is_refused_naming_the_field(
    submissions: TestClient,
) -> None:
    body = complaint_body("PVGAS", "Khiếu nại thử nghiệm") | {"due_on": "9999-12-31"}
    refused = submissions.post("/api/v1/complaints", json=body, headers=OFFICER_PVGAS)
    error = first_error(refused, 422)
    assert error["field"] == "due_on"
    # The bound as each reader writes a day: dd/mm/yyyy in Vietnamese (pydantic's context is
    # the date itself), ISO in pydantic's English.
    assert error["message_vi"] == "Phải nhỏ hơn hoặc bằng 31/12/2099"
    assert "2099-12-31" in error["message_en"]
    # The last day allowed is taken, and the case is not overdue before it.
    body["due_on"] = "2099-12-31"
    opened = submissions.post("/api/v1/complaints", json=body, headers=OFFICER_PVGAS)
    assert opened.status_code == 201, opened.text
    assert opened.json()["overdue"] is False


def test_a_due_date_on_the_calendars_last_day_is_never_overdue_and_does_not_overflow() -> None:
    # A row stored before the days were bounded still reads.
    assert overdue_on(date.max, None, date(2022, 6, 1)) is False
    assert overdue_within(date.max, date.max, date.min, date.max, date.max) is False
    assert overdue_within(date(2022, 3, 31), None, date.min, date.max, date.max) is True


def test_a_campaign_running_past_the_last_day_is_refused_at_its_field() -> None:
    text = EXAMPLE.read_text().replace("ends_on: 2023-12-31", "ends_on: 9999-12-31", 1)
    with pytest.raises(CampaignFileError) as refused:
        load_campaign_text(text, "2023.yaml")
    [problem] = refused.value.problems
    assert problem.location == "period.ends_on"
    assert "31/12/2099" in problem.message_vi and "2099-12-31" in problem.message_en
