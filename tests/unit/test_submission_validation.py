"""Bad input to the submissions API gets a 422 naming the field, in Vietnamese and English.

Runs the real app on a real (SQLite) database; Kafka is not needed to refuse input."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from services.submissions.bootstrap import define
from services.submissions.config import SubmissionsSettings
from shared.migrations import upgrade_to_head
from shared.service_app import create_app


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    database = Path(tmp_path_factory.mktemp("submissions")) / "db.sqlite3"
    url = f"sqlite+aiosqlite:///{database}"
    upgrade_to_head("services.submissions", url)
    # Nothing listens on port 1: Kafka stays unreachable, as it may be in production.
    settings = SubmissionsSettings(database_url=url, kafka_bootstrap_servers="127.0.0.1:1")
    with TestClient(create_app(define(settings))) as test_client:
        yield test_client


def valid(**changes: Any) -> dict[str, Any]:
    body = {
        "title": "Cải tiến quy trình bảo dưỡng máy bơm",
        "unit_code": "BSR",
        "field": "technical",
        "problem": "Máy bơm dừng đột xuất nhiều lần mỗi quý.",
        "solution": "Bảo dưỡng theo tình trạng dựa trên đo rung động.",
        "authors": [
            {"member_id": "M1", "full_name": "Trần Thị Bình", "share_percent": 60},
            {"member_id": "M2", "full_name": "Lê Văn Cường", "share_percent": 40},
        ],
        "first_applied_on": "2022-03-01",
        "expected_benefit_vnd": 350_000_000,
    }
    return body | changes


def errors(response: Any) -> dict[str, dict[str, str]]:
    assert response.status_code == 422, response.text
    return {error["field"]: error for error in response.json()["errors"]}


def test_a_valid_initiative_is_accepted_even_while_kafka_is_down(client: TestClient) -> None:
    response = client.post("/api/v1/initiatives", json=valid())
    assert response.status_code == 201, response.text
    assert response.json()["status"] == "submitted"
    assert client.get(f"/api/v1/initiatives/{response.json()['id']}").status_code == 200


def test_shares_that_do_not_sum_to_100_are_refused_in_both_languages(client: TestClient) -> None:
    body = valid(
        authors=[
            {"member_id": "M1", "full_name": "Trần Thị Bình", "share_percent": 60},
            {"member_id": "M2", "full_name": "Lê Văn Cường", "share_percent": 30},
        ]
    )
    error = errors(client.post("/api/v1/initiatives", json=body))["authors"]
    assert error["message_vi"] == "Tổng tỷ lệ đóng góp của các tác giả phải bằng 100%, hiện là 90%"
    assert "100%" in error["message_en"]


def test_each_bad_field_is_named(client: TestClient) -> None:
    body = valid(title="abc", field="astrology", expected_benefit_vnd=-5)
    del body["problem"]
    found = errors(client.post("/api/v1/initiatives", json=body))
    assert set(found) == {"title", "field", "expected_benefit_vnd", "problem"}
    assert found["problem"]["message_vi"] == "Thiếu trường bắt buộc"
    assert found["expected_benefit_vnd"]["message_vi"] == "Phải lớn hơn hoặc bằng 0"


def test_a_first_application_date_in_the_future_is_refused(client: TestClient) -> None:
    found = errors(client.post("/api/v1/initiatives", json=valid(first_applied_on="2999-01-01")))
    assert found["first_applied_on"]["code"] == "date_in_future"


def test_an_unknown_initiative_is_a_404_in_both_languages(client: TestClient) -> None:
    response = client.get("/api/v1/initiatives/00000000-0000-0000-0000-000000000000")
    assert response.status_code == 404
    assert response.json()["errors"][0]["message_vi"] == "Không tìm thấy sáng kiến"


def test_ready_is_503_while_kafka_does_not_answer(client: TestClient) -> None:
    response = client.get("/ready")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": True, "kafka": False}
    assert client.get("/health").status_code == 200
