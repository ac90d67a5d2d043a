"""Bulk council assignment through scoring's HTTP API, on a real SQLite database: the domain's
refusals answer as a 4xx in both languages naming the field (issue 13: they were 500s).

Kafka is not needed to assign a council: the events wait in the outbox."""

from uuid import UUID

import httpx
import pytest
from fastapi.testclient import TestClient

from services.scoring import handlers
from services.submissions.demo import token
from shared.auth import Role
from shared.contracts import InitiativeAuthor
from shared.messaging.cloudevents import new_envelope
from tests.unit.conftest import ADMIN
from tests.unit.council_helpers import (
    AUTHOR,
    apply_handler,
    assign,
    awaiting_council,
    council_of,
)
from tests.unit.event_examples import amended

# Scoring keeping the 2022 plan, whose council rule these assignments meet or break.
pytestmark = pytest.mark.usefixtures("scoring_keeps_the_plan")


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


def with_authors(scoring: TestClient, initiative_id: UUID, *authors: InitiativeAuthor) -> None:
    """An amendment giving the initiative these authors, as scoring's consumer applies it."""
    amendment = amended(initiative_id=initiative_id, unit_code="PVGAS-KCM", authors=authors)
    scoring.portal.call(  # type: ignore[union-attr]
        apply_handler,
        scoring,
        handlers.queue_for_review,
        new_envelope(amendment, source="/t", subject="t"),
    )


def test_a_reviewer_made_an_author_after_the_seating_is_replaced_not_stuck(
    scoring: TestClient,
) -> None:
    # Submissions accepted an amendment adding HD-02 as an author while the council was being
    # seated (it had not heard yet). Scoring then replayed the seating against the new authors
    # and refused every later act, the initiative under review for good (a black-box round).
    initiative_id = awaiting_council(scoring)
    assert assign(scoring, initiative_id, ["HD-01", "HD-02", "HD-03"]).status_code == 200
    criteria = ("novelty", "applicability", "effectiveness", "scope")
    card = {"scores": dict.fromkeys(criteria, 8), "vote_for": True}

    def score(reviewer: str) -> httpx.Response:
        response: httpx.Response = scoring.post(
            f"/api/v1/reviews/{initiative_id}/scores",
            json=card,
            headers=token(reviewer, "CDDKVN", Role.REVIEWER),
        )
        return response

    assert score("HD-02").status_code == 200  # before they became an author
    with_authors(
        scoring,
        initiative_id,
        InitiativeAuthor(member_id=AUTHOR, full_name="Nguyễn Văn An", share_percent=50),
        InitiativeAuthor(member_id="HD-02", full_name="Trần Thị Bình", share_percent=50),
    )

    assert score("HD-01").status_code == 200, score("HD-01").text
    # HD-02's card, given before, no longer counts: HD-03's completes no council.
    assert score("HD-03").json()["status"] == "under_review"
    own = score("HD-02")  # the new author may not score their own initiative
    assert own.status_code == 422, own.text
    assert (own.json()["errors"][0]["field"], own.json()["errors"][0]["code"]) == (
        "reviewer_id",
        "author_as_reviewer",
    )
    # A new council without them is seated; the score of the member who stays is kept.
    reseated = assign(scoring, initiative_id, ["HD-01", "HD-03", "HD-04"])
    assert reseated.status_code == 200, reseated.text
    assert council_of(scoring, initiative_id) == ["HD-01", "HD-03", "HD-04"]
    decided = score("HD-04")  # the council without them is complete
    assert decided.status_code == 200, decided.text
    assert decided.json()["status"] == "recognised"


def test_a_decision_stands_when_an_amendment_makes_a_member_an_author_after_it(
    scoring: TestClient,
) -> None:
    # Replayed against today's authors, its acts no longer decide: the decision announced
    # stands, and the review does not open again.
    initiative_id = awaiting_council(scoring)
    reviewers = ["HD-01", "HD-02", "HD-03"]
    assert assign(scoring, initiative_id, reviewers).status_code == 200
    criteria = ("novelty", "applicability", "effectiveness", "scope")
    card = {"scores": dict.fromkeys(criteria, 8), "vote_for": True}
    for reviewer in reviewers:
        scored = scoring.post(
            f"/api/v1/reviews/{initiative_id}/scores",
            json=card,
            headers=token(reviewer, "CDDKVN", Role.REVIEWER),
        )
        assert scored.status_code == 200, scored.text
    assert scored.json()["status"] == "recognised"
    with_authors(
        scoring,
        initiative_id,
        InitiativeAuthor(member_id="HD-02", full_name="Trần Thị Bình", share_percent=100),
    )
    again = assign(scoring, initiative_id, ["HD-01", "HD-03", "HD-04"])
    assert again.status_code == 409, again.text
    assert again.json()["errors"][0]["code"] == "already_decided"
