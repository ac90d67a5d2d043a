"""Bad input to the submissions API gets a 4xx naming the field, in Vietnamese and English."""

import logging

import pytest
from fastapi.testclient import TestClient

from tests.unit.conftest import MEMBER_AN, OFFICER_BSR, OFFICER_PVGAS
from tests.unit.submissions_helpers import errors, valid


def test_a_valid_initiative_is_accepted_even_while_kafka_is_down(submissions: TestClient) -> None:
    response = submissions.post("/api/v1/initiatives", json=valid(), headers=OFFICER_PVGAS)
    assert response.status_code == 201, response.text
    assert response.json()["status"] == "submitted"
    assert response.json()["phase_code"] == "dot-1"
    initiative_id = response.json()["id"]
    assert (
        submissions.get(f"/api/v1/initiatives/{initiative_id}", headers=MEMBER_AN).status_code
        == 200
    )


def test_shares_that_do_not_sum_to_100_are_refused_in_both_languages(
    submissions: TestClient,
) -> None:
    body = valid(
        authors=[
            {"member_id": "PVGAS-0012", "full_name": "Nguyễn Văn An", "share_percent": 60},
            {"member_id": "PVGAS-0047", "full_name": "Trần Thị Bích Ngọc", "share_percent": 30},
        ]
    )
    response = submissions.post("/api/v1/initiatives", json=body, headers=OFFICER_PVGAS)
    error = errors(response)["authors"]
    assert error["message_vi"] == "Tổng tỷ lệ đóng góp của các tác giả phải bằng 100%, hiện là 90%"
    assert "100%" in error["message_en"]


def test_each_bad_field_is_named(submissions: TestClient) -> None:
    body = valid(title="abc", field="astrology", expected_benefit_vnd=-5)
    del body["problem"]
    found = errors(submissions.post("/api/v1/initiatives", json=body, headers=OFFICER_PVGAS))
    assert set(found) == {"title", "field", "expected_benefit_vnd", "problem"}
    assert found["problem"]["message_vi"] == "Thiếu trường bắt buộc"
    assert found["expected_benefit_vnd"]["message_vi"] == "Phải lớn hơn hoặc bằng 0"


def test_a_first_application_date_outside_the_campaign_is_refused(
    submissions: TestClient,
) -> None:
    response = submissions.post(
        "/api/v1/initiatives", json=valid(first_applied_on="2021-12-31"), headers=OFFICER_PVGAS
    )
    found = errors(response)
    assert found["first_applied_on"]["code"] == "outside_campaign"
    assert "01/01/2022" in found["first_applied_on"]["message_vi"]


def test_an_unknown_unit_is_refused(submissions: TestClient) -> None:
    response = submissions.post(
        "/api/v1/initiatives", json=valid(unit_code="NO-SUCH"), headers=OFFICER_PVGAS
    )
    assert errors(response)["unit_code"]["message_vi"] == "Không có đơn vị mã NO-SUCH"


def test_an_officer_cannot_submit_for_another_units_subtree(submissions: TestClient) -> None:
    response = submissions.post("/api/v1/initiatives", json=valid(), headers=OFFICER_BSR)
    assert errors(response, 403)["unit_code"]["code"] == "forbidden_unit"


def test_a_member_submits_only_what_they_author(submissions: TestClient) -> None:
    others = valid(
        authors=[
            {"member_id": "PVGAS-0047", "full_name": "Trần Thị Bích Ngọc", "share_percent": 100}
        ]
    )
    response = submissions.post("/api/v1/initiatives", json=others, headers=MEMBER_AN)
    assert errors(response, 403)["authors"]["code"] == "not_an_author"
    assert (
        submissions.post("/api/v1/initiatives", json=valid(), headers=MEMBER_AN).status_code == 201
    )


def test_without_a_token_the_answer_is_401_in_both_languages(submissions: TestClient) -> None:
    response = submissions.post("/api/v1/initiatives", json=valid())
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert response.json()["errors"][0]["message_vi"].startswith("Cần đăng nhập")


def test_an_unknown_initiative_is_a_404_in_both_languages(submissions: TestClient) -> None:
    response = submissions.get(
        "/api/v1/initiatives/00000000-0000-0000-0000-000000000000", headers=OFFICER_PVGAS
    )
    assert response.status_code == 404
    assert response.json()["errors"][0]["message_vi"] == "Không tìm thấy sáng kiến"


def test_ready_is_503_while_kafka_does_not_answer(submissions: TestClient) -> None:
    response = submissions.get("/ready")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": True, "kafka": False}
    assert submissions.get("/health").status_code == 200


def test_a_refused_action_is_logged(
    submissions: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    others = valid(
        authors=[
            {"member_id": "PVGAS-0047", "full_name": "Trần Thị Bích Ngọc", "share_percent": 100}
        ]
    )
    with caplog.at_level(logging.WARNING, logger="thidua.auth"):
        response = submissions.post("/api/v1/initiatives", json=others, headers=MEMBER_AN)
    assert response.status_code == 403
    refusal = next(r for r in caplog.records if getattr(r, "reason", None) == "not_an_author")
    assert refusal.path == "/api/v1/initiatives"  # type: ignore[attr-defined]
