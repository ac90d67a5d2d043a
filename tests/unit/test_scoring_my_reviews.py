"""What a council member decided before (`GET /api/v1/reviews/mine`): the initiatives they
scored, their own last scorecard of each, beside the initiative's state now."""

from typing import Any

import pytest
from fastapi.testclient import TestClient

from services.submissions.demo import token
from shared.auth import Role
from tests.unit.council_helpers import assign, awaiting_council, keeping_the_plan


@pytest.fixture
def scoring(scoring: TestClient) -> TestClient:
    """Scoring keeping the 2022 plan (tests/unit/council_helpers.py)."""
    return keeping_the_plan(scoring)


GOOD = {"novelty": 8, "applicability": 7, "effectiveness": 9, "scope": 6}


def score(client: TestClient, member: str, initiative_id: object, **more: Any) -> int:
    body = {"scores": GOOD, "vote_for": True, **more}
    answered = client.post(
        f"/api/v1/reviews/{initiative_id}/scores",
        json=body,
        headers=token(member, "CDDKVN", Role.REVIEWER),
    )
    status: int = answered.status_code
    return status


def mine(client: TestClient, member: str) -> list[dict[str, Any]]:
    answered = client.get("/api/v1/reviews/mine", headers=token(member, "CDDKVN", Role.REVIEWER))
    assert answered.status_code == 200, answered.text
    listed: list[dict[str, Any]] = answered.json()
    return listed


def test_my_reviews_lists_what_i_scored_with_my_last_scorecard(scoring: TestClient) -> None:
    decided, waiting = awaiting_council(scoring), awaiting_council(scoring)
    other = awaiting_council(scoring)
    for initiative_id in (decided, waiting):
        assert assign(scoring, initiative_id, ["HD-51", "HD-52", "HD-53"]).status_code == 200
    assert assign(scoring, other, ["HD-61", "HD-62", "HD-63"]).status_code == 200
    assert mine(scoring, "HD-51") == []

    assert score(scoring, "HD-51", decided, vote_for=False) == 200
    # Revised before the decision: the last scorecard is the one listed.
    assert score(scoring, "HD-51", decided, private_note="Cần thêm số liệu") == 200
    assert score(scoring, "HD-52", decided) == 200
    assert score(scoring, "HD-53", decided) == 200
    assert score(scoring, "HD-51", waiting, vote_for=False) == 200
    assert score(scoring, "HD-61", other) == 200

    listed = mine(scoring, "HD-51")
    assert [item["initiative_id"] for item in listed] == [str(waiting), str(decided)]
    latest, earlier = listed
    assert (latest["status"], latest["my_vote_for"]) == ("under_review", False)
    assert (earlier["status"], earlier["my_vote_for"]) == ("recognised", True)
    assert earlier["my_note"] == "Cần thêm số liệu"
    assert earlier["my_scores"] == {k: float(v) for k, v in GOOD.items()}
    assert earlier["scored_round"] == 1


def test_a_member_seated_again_without_me_drops_my_scorecard(scoring: TestClient) -> None:
    initiative_id = awaiting_council(scoring)
    assert assign(scoring, initiative_id, ["HD-71", "HD-72", "HD-73"]).status_code == 200
    assert score(scoring, "HD-71", initiative_id) == 200
    assert [i["initiative_id"] for i in mine(scoring, "HD-71")] == [str(initiative_id)]

    assert assign(scoring, initiative_id, ["HD-72", "HD-73", "HD-74"]).status_code == 200

    assert mine(scoring, "HD-71") == []


def test_only_council_members_ask(scoring: TestClient) -> None:
    answered = scoring.get(
        "/api/v1/reviews/mine", headers=token("PVGAS-0012", "PVGAS-KCM", Role.MEMBER)
    )
    assert answered.status_code == 403
