"""A date the calendar does not have (31 April) is a located problem of the campaign file,
not a ValueError out of the loader (POST /api/v1/campaigns answered 500 for it)."""

from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from shared.auth import load_auth_settings
from shared.campaign.loader import CampaignFileError, load_campaign_text
from shared.dev_tokens import token_for

EXAMPLE = Path(__file__).resolve().parents[2] / "campaigns" / "examples" / "2023.yaml"


def _with_april_31() -> tuple[str, int]:
    text = EXAMPLE.read_text().replace("    ends_on: 2023-04-30", "    ends_on: 2023-04-31", 1)
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "2023-04-31" in row)
    return text, line


def test_a_day_the_month_lacks_is_refused_at_its_line() -> None:
    text, line = _with_april_31()
    with pytest.raises(CampaignFileError) as refused:
        load_campaign_text(text, "2023.yaml")
    [problem] = refused.value.problems
    assert problem.code == "date_not_real"
    assert problem.location == f"dòng {line}, cột 14 / line {line}, column 14"
    assert problem.message_vi == "Ngày không có thật: 2023-04-31"


def test_the_api_answers_422_naming_the_line(submissions: TestClient) -> None:
    text, line = _with_april_31()
    token = token_for("admin", load_auth_settings(), timedelta(minutes=5))
    answer = submissions.post(
        "/api/v1/campaigns",
        content=text.encode(),
        headers={"Authorization": f"Bearer {token}", "content-type": "application/yaml"},
    )
    assert answer.status_code == 422
    [problem] = [e for e in answer.json()["errors"] if e["code"] == "date_not_real"]
    assert problem["field"].startswith(f"dòng {line},")
