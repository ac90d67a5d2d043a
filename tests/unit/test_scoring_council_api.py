"""Bulk council assignment through scoring's HTTP API, on a real SQLite database: the domain's
refusals answer as a 4xx in both languages naming the field (issue 13: they were 500s).

Kafka is not needed to assign a council: the events wait in the outbox."""

from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest
from fastapi.testclient import TestClient

from services.scoring import handlers
from services.scoring.tables import CampaignCopy, ReviewRecord
from services.submissions.demo import CAMPAIGN, token
from shared.auth import Role
from shared.campaign.loader import load_campaign
from shared.contracts import InitiativeAuthor
from shared.messaging.cloudevents import new_envelope
from tests.unit.conftest import ADMIN, store_rows
from tests.unit.event_examples import submitted as example

AUTHOR = "PVGAS-0012"


async def _apply(client: TestClient, handler: Any, event: Any) -> None:
    async with client.app.state.sessions() as session, session.begin():  # type: ignore[attr-defined]
        await handler(event, session)


@pytest.fixture
def scoring(scoring: TestClient) -> TestClient:
    """Scoring on a database of its own (tests/unit/conftest.py), holding the 2022 plan as it
    keeps it (its council sits with at least 3 members)."""
    campaign = load_campaign(CAMPAIGN)
    copy = CampaignCopy(code=campaign.code, definition=campaign.model_dump(mode="json"))
    store_rows(scoring, copy)
    return scoring


def awaiting_council(client: TestClient) -> UUID:
    """An initiative as scoring queues it when `initiative submitted` arrives."""
    submitted = example(
        initiative_id=uuid4(),
        unit_code="PVGAS-KCM",
        authors=(InitiativeAuthor(member_id=AUTHOR, full_name="Nguyễn Văn An", share_percent=100),),
        submitted_by=AUTHOR,
        submitted_at=datetime.now(UTC),
    )
    client.portal.call(  # type: ignore[union-attr]
        _apply, client, handlers.queue_for_review, new_envelope(submitted, source="/t", subject="t")
    )
    return submitted.initiative_id


def council_of(client: TestClient, initiative_id: UUID) -> list[str]:
    async def read() -> list[str]:
        async with client.app.state.sessions() as session:  # type: ignore[attr-defined]
            record = await session.get(ReviewRecord, initiative_id)
            return list(record.council)

    return client.portal.call(read)  # type: ignore[union-attr]


def assign(
    client: TestClient, initiative_id: UUID, reviewers: list[str], **more: Any
) -> httpx.Response:
    response: httpx.Response = client.post(
        "/api/v1/reviews/assign",
        json={"initiative_ids": [str(initiative_id)], "reviewer_ids": reviewers, **more},
        headers=ADMIN,
    )
    return response


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
