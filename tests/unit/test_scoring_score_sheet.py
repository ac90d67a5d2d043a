"""A council member's score sheet (`POST /api/v1/reviews/scores`): several initiatives scored
in one request, each line as one `POST /reviews/{id}/scores` would be, all or none."""

from typing import Any
from uuid import UUID

import httpx
import pytest
from fastapi.testclient import TestClient

from services.submissions.demo import token
from shared.auth import Role
from tests.unit.council_helpers import assign, awaiting_council, keeping_the_plan


@pytest.fixture
def scoring(scoring: TestClient) -> TestClient:
    """Scoring keeping the 2022 plan (tests/unit/council_helpers.py)."""
    return keeping_the_plan(scoring)


GOOD = {"novelty": 8, "applicability": 8, "effectiveness": 8, "scope": 8}


def sheet(client: TestClient, member: str, *lines: tuple[UUID, bool]) -> httpx.Response:
    items: list[dict[str, Any]] = [
        {"initiative_id": str(i), "scores": GOOD, "vote_for": vote} for i, vote in lines
    ]
    response: httpx.Response = client.post(
        "/api/v1/reviews/scores",
        json={"items": items},
        headers=token(member, "CDDKVN", Role.REVIEWER),
    )
    return response


def review(client: TestClient, initiative_id: UUID) -> dict[str, Any]:
    admin = token("CDDKVN-0001", "CDDKVN", Role.FEDERATION_ADMIN)
    answer: dict[str, Any] = client.get(f"/api/v1/reviews/{initiative_id}", headers=admin).json()
    return answer


def test_a_sheet_scores_each_line_and_the_last_member_decides(scoring: TestClient) -> None:
    first, second = awaiting_council(scoring), awaiting_council(scoring)
    for initiative_id in (first, second):
        assert assign(scoring, initiative_id, ["HD-11", "HD-12", "HD-13"]).status_code == 200

    answered = sheet(scoring, "HD-11", (first, True), (second, True))
    assert answered.status_code == 200, answered.text
    assert [r["scored_by"] for r in answered.json()] == [["HD-11"], ["HD-11"]]

    assert sheet(scoring, "HD-12", (first, True), (second, False)).status_code == 200
    decided = sheet(scoring, "HD-13", (first, True), (second, False))
    assert decided.status_code == 200, decided.text
    # 3 of 3 for the first; 1 of 3 for the second, short of two thirds.
    assert [r["status"] for r in decided.json()] == ["recognised", "not_recognised"]


def test_a_refused_line_records_nothing_of_the_sheet_and_is_named(scoring: TestClient) -> None:
    mine, not_mine = awaiting_council(scoring), awaiting_council(scoring)
    assert assign(scoring, mine, ["HD-21", "HD-22", "HD-23"]).status_code == 200
    assert assign(scoring, not_mine, ["HD-31", "HD-32", "HD-33"]).status_code == 200

    refused = sheet(scoring, "HD-21", (mine, True), (not_mine, True))

    assert refused.status_code == 403, refused.text
    [error] = refused.json()["errors"]
    assert error["field"].startswith("items.1.") and error["code"] == "not_assigned"
    assert review(scoring, mine)["scored_by"] == []  # the good line went with the bad one


def test_an_empty_sheet_is_a_422(scoring: TestClient) -> None:
    answered = scoring.post(
        "/api/v1/reviews/scores",
        json={"items": []},
        headers=token("HD-41", "CDDKVN", Role.REVIEWER),
    )
    assert answered.status_code == 422
    assert answered.json()["errors"][0]["field"].startswith("items")


def test_an_unknown_initiative_is_refused_on_its_own_line(scoring: TestClient) -> None:
    mine = awaiting_council(scoring)
    assert assign(scoring, mine, ["HD-51", "HD-52", "HD-53"]).status_code == 200
    unknown = UUID(int=0xDEAD)

    refused = sheet(scoring, "HD-51", (mine, True), (unknown, True))

    assert refused.status_code == 404, refused.text
    [error] = refused.json()["errors"]
    assert error["field"].startswith("items.1.") and error["code"] == "not_found"
    assert review(scoring, mine)["scored_by"] == []


def test_an_initiative_on_two_lines_is_refused_naming_the_repeat(scoring: TestClient) -> None:
    twice = awaiting_council(scoring)
    assert assign(scoring, twice, ["HD-61", "HD-62", "HD-63"]).status_code == 200

    refused = sheet(scoring, "HD-61", (twice, True), (twice, False))

    assert refused.status_code == 422, refused.text
    [error] = refused.json()["errors"]
    assert (error["field"], error["code"]) == ("items.1.initiative_id", "duplicate_line")
    assert "dòng 1" in error["message_vi"] and "line 1" in error["message_en"]
    assert review(scoring, twice)["scored_by"] == []  # neither vote was recorded
