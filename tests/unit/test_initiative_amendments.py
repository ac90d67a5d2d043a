"""An amendment passes exactly the checks a submission passes, and only while no council
sits on the initiative; a returned one, amended, is resubmitted for its next round."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from shared.contracts import InitiativeAmended, InitiativeReturned
from tests.unit.conftest import MEMBER_AN
from tests.unit.submissions_helpers import about, apply, outbox_events, seat_council, secret


def amend(submissions: TestClient, initiative_id: str, **changes: Any) -> Any:
    return submissions.patch(
        f"/api/v1/initiatives/{initiative_id}", json=changes, headers=MEMBER_AN
    )


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"first_applied_on": "2099-12-31"}, "first_applied_on", "date_in_future"),
        ({"first_applied_on": "2019-01-01"}, "first_applied_on", "outside_campaign"),
        ({"received_on": "2021-12-31"}, "received_on", "outside_phase"),
        ({"title": None}, "title", "string_type"),
        ({"title": "Ngắn"}, "title", "string_too_short"),
        ({"expected_benefit_vnd": -1}, "expected_benefit_vnd", "greater_than_equal"),
        (
            {
                "authors": [
                    {"member_id": "PVGAS-0012", "full_name": "Nguyễn Văn An", "share_percent": 60}
                ]
            },
            "authors",
            "shares_not_100",
        ),
    ],
)
def test_an_amendment_is_refused_as_a_submission_would_be(
    submissions: TestClient, changes: dict[str, Any], field: str, code: str
) -> None:
    initiative_id = secret(submissions, confidential=False)
    refused = amend(submissions, initiative_id, **changes)
    assert refused.status_code == 422, refused.text
    error = refused.json()["errors"][0]
    assert (error["field"], error["code"]) == (field, code)
    assert error["message_vi"] and error["message_en"]


def test_under_review_it_can_be_neither_amended_nor_withdrawn(submissions: TestClient) -> None:
    initiative_id = secret(submissions)
    seat_council(submissions, initiative_id, "HD-1", "HD-2", "HD-3")
    refused = amend(submissions, initiative_id, expected_benefit_vnd=90_000_000_000)
    assert refused.status_code == 409
    error = refused.json()["errors"][0]
    assert error["field"] == "status" and "Đang xét" in error["message_vi"]
    assert "Under review" in error["message_en"]
    withdrawn = submissions.post(f"/api/v1/initiatives/{initiative_id}/withdraw", headers=MEMBER_AN)
    assert withdrawn.status_code == 409


def test_a_returned_initiative_amended_is_resubmitted_for_the_next_round(
    submissions: TestClient,
) -> None:
    initiative_id = secret(submissions)
    seat_council(submissions, initiative_id, "HD-1", "HD-2", "HD-3")
    # Decided on the campaign's clock, a day after the record carrying it was made: the
    # initiative shows the decision's time, not the record's.
    decided_at = (datetime.now(UTC) + timedelta(days=1)).replace(microsecond=0)
    apply(
        submissions,
        InitiativeReturned(
            **about(initiative_id),
            decided_at=decided_at,
            decided_on=decided_at.date(),
            reason="Bổ sung số liệu trước và sau",
        ),
    )
    shown = submissions.get(f"/api/v1/initiatives/{initiative_id}", headers=MEMBER_AN).json()
    assert shown["status"] == "returned" and shown["return_reason"].startswith("Bổ sung")
    assert shown["decided_on"] == decided_at.date().isoformat()
    assert datetime.fromisoformat(shown["updated_at"]) == decided_at
    resubmitted = amend(submissions, initiative_id, solution="Hoàn nguyên tại chỗ, có số liệu.")
    assert resubmitted.status_code == 200, resubmitted.text
    body = resubmitted.json()
    assert (body["status"], body["round"], body["return_reason"]) == ("resubmitted", 2, None)
    assert body["decided_on"] is None  # round 1's return is behind it


def test_the_same_amendment_sent_again_announces_nothing_more(submissions: TestClient) -> None:
    # A PATCH retried after its answer was lost (the chaos run: submissions killed with the
    # request in flight) published a second `initiative amended`, and told the authors twice.
    initiative_id = secret(submissions)
    change = {"title": "Quy trình xử lý xúc tác, bản hoàn chỉnh"}
    first, again = (
        amend(submissions, initiative_id, **change),
        amend(submissions, initiative_id, **change),
    )
    assert first.status_code == again.status_code == 200, again.text
    assert again.json() == first.json()
    titles = [e["title"] for e in outbox_events(submissions, InitiativeAmended)]
    assert titles == [change["title"]]
