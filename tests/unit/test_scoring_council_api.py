"""Bulk council assignment through scoring's HTTP API, on a real SQLite database: the domain's
refusals answer as a 4xx in both languages naming the field (issue 13: they were 500s).

Kafka is not needed to assign a council: the events wait in the outbox."""

import pytest
from fastapi.testclient import TestClient

from services.submissions.demo import token
from shared.auth import Role
from tests.unit.conftest import ADMIN
from tests.unit.council_helpers import assign, awaiting_council, council_of, keeping_the_plan


@pytest.fixture
def scoring(scoring: TestClient) -> TestClient:
    """Scoring keeping the 2022 plan (tests/unit/council_helpers.py)."""
    return keeping_the_plan(scoring)


def test_two_reviewers_for_a_council_of_three_is_a_422_naming_the_rule(
    scoring: TestClient,
) -> None:
    initiative_id = awaiting_council(scoring)

    response = assign(scoring, initiative_id, ["HD-01", "HD-02"])

    assert response.status_code == 422, response.text
    [error] = response.json()["errors"]
    assert (error["field"], error["code"]) == ("reviewer_ids", "council_too_small")
    assert error["message_vi"] == (
        "Hội đồng cần ít nhất 3 thành viên (không phải tác giả); mới có 2"
    )
    assert error["message_en"] == "A council needs at least 3 members (not authors); got 2"
    assert council_of(scoring, initiative_id) == []  # nothing seated


def test_a_council_smaller_than_the_campaigns_minimum_is_a_422(scoring: TestClient) -> None:
    # Two per initiative out of two reviewers: the pool is enough, the campaign's rule is not.
    initiative_id = awaiting_council(scoring)

    response = assign(scoring, initiative_id, ["HD-01", "HD-02"], per_initiative=2)

    assert response.status_code == 422, response.text
    [error] = response.json()["errors"]
    assert (error["field"], error["code"]) == ("reviewer_ids", "council_too_small")
    assert "ít nhất 3" in error["message_vi"] and "at least 3" in error["message_en"]
    assert council_of(scoring, initiative_id) == []  # nothing seated


def test_a_reviewer_named_twice_is_a_422_on_that_entry(scoring: TestClient) -> None:
    initiative_id = awaiting_council(scoring)

    response = assign(scoring, initiative_id, ["HD-01", "HD-02", "HD-01", "HD-03"])

    assert response.status_code == 422, response.text
    [error] = response.json()["errors"]
    assert (error["field"], error["code"]) == ("reviewer_ids.2", "duplicate_reviewer")
    assert error["message_vi"] and error["message_en"]


def test_three_reviewers_seat_the_council(scoring: TestClient) -> None:
    initiative_id = awaiting_council(scoring)

    response = assign(scoring, initiative_id, ["HD-01", "HD-02", "HD-03"])

    assert response.status_code == 200, response.text
    [review] = response.json()
    assert review["status"] == "under_review"
    assert review["council"] == ["HD-01", "HD-02", "HD-03"]


def test_a_returned_review_is_replayed_as_returned_and_takes_no_score(
    scoring: TestClient,
) -> None:
    # Each act is stored by its kind (tables.Act) and replayed by it: a return stored under
    # one word and replayed under another would be lost, or refuse to load.
    initiative_id = awaiting_council(scoring)
    assert assign(scoring, initiative_id, ["HD-01", "HD-02", "HD-03"]).status_code == 200

    returned = scoring.post(
        f"/api/v1/reviews/{initiative_id}/return",
        json={"reason": "Bổ sung số liệu giá trị làm lợi"},
        headers=ADMIN,
    )
    assert returned.status_code == 200, returned.text
    assert returned.json()["status"] == "returned"

    scored = scoring.post(
        f"/api/v1/reviews/{initiative_id}/scores",
        json={"scores": {"novelty": 8}, "vote_for": True},
        headers=token("HD-01", "CDDKVN", Role.REVIEWER),
    )
    assert scored.status_code == 409, scored.text
    assert scored.json()["errors"][0]["code"] == "already_decided"
