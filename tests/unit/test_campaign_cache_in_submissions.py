"""Submissions validates its campaign's file once per version and process (issue 15, point
5): every submission used to read and validate the whole file. A new version (a new
`published_at`, as a publication writes) is read and validated again."""

import json
import sqlite3
from typing import Any

from fastapi.testclient import TestClient

from shared.campaign.cache import CampaignCache
from tests.unit.conftest import OFFICER_BSR, OFFICER_PVGAS


def initiative(n: int) -> dict[str, Any]:
    return {
        "title": f"Tự động hóa báo cáo vận hành ca số {n}",
        "unit_code": "PVGAS-KCM",
        "field": "digital_transformation",
        "problem": "Báo cáo ca lập thủ công mất nhiều thời gian.",
        "solution": "Tự động tổng hợp số liệu từ hệ thống điều khiển.",
        "authors": [
            {"member_id": f"PVGAS-{n:04d}", "full_name": "Nguyễn Văn An", "share_percent": 100}
        ],
        "first_applied_on": "2022-05-01",
    }


def database(client: TestClient) -> str:
    url: str = client.app.state.settings.database_url  # type: ignore[attr-defined]
    return url.split("///", 1)[1]


def test_the_campaign_is_validated_once_per_version(submissions: TestClient) -> None:
    cache: CampaignCache = submissions.app.state.campaigns  # type: ignore[attr-defined]
    before = cache.validations
    for n in range(3):
        response = submissions.post(
            "/api/v1/initiatives", json=initiative(n), headers=OFFICER_PVGAS
        )
        assert response.status_code == 201, response.text
    assert cache.validations - before <= 1

    # The file replaced, with a new published_at: the next submission reads it again.
    with sqlite3.connect(database(submissions)) as db:
        (text,) = db.execute("SELECT definition FROM campaigns WHERE code = '2022'").fetchone()
        definition = json.loads(text)
        definition["title"] = "Kế hoạch thi đua năm 2022 (sửa đổi)"
        db.execute(
            "UPDATE campaigns SET definition = ?, published_at = '2030-01-01 00:00:00.000000'"
            " WHERE code = '2022'",
            (json.dumps(definition),),
        )
    validated = cache.validations
    response = submissions.post("/api/v1/initiatives", json=initiative(9), headers=OFFICER_PVGAS)
    assert response.status_code == 201, response.text
    assert cache.validations == validated + 1
    campaign = cache.cached("2022")
    assert campaign is not None
    assert campaign.title == "Kế hoạch thi đua năm 2022 (sửa đổi)"


def test_the_checks_folded_into_one_query_still_refuse(submissions: TestClient) -> None:
    unknown = submissions.post(
        "/api/v1/initiatives", json={**initiative(1), "unit_code": "NO-SUCH"}, headers=OFFICER_PVGAS
    )
    assert unknown.status_code == 422, unknown.text
    assert unknown.json()["errors"][0]["code"] == "unknown_unit"
    outside = submissions.post("/api/v1/initiatives", json=initiative(1), headers=OFFICER_BSR)
    assert outside.status_code == 403, outside.text
