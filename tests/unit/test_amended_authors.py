"""Who an amendment may name as the authors. An admin, or an officer over the initiative's unit
(acting for members), any list. Anyone else (an author; an officer who is an author of an
initiative outside their subtree) may add co-authors and change shares, but take no one off:
a black-box round handed a member's initiative to another person by PATCH (it was then theirs
without their asking, and its submitter got 404 on it), and a review had a co-author drop the
submitter the same way."""

from typing import Any

import pytest
from fastapi.testclient import TestClient

from shared import contracts
from tests.unit.conftest import MEMBER_AN, MEMBER_BINH, OFFICER_BSR, OFFICER_PVGAS, submitted_by_an
from tests.unit.submissions_helpers import outbox_events

AN = {"member_id": "PVGAS-0012", "full_name": "Nguyễn Văn An", "share_percent": 60}
BINH = {"member_id": "BSR-0301", "full_name": "Trần Thị Bình", "share_percent": 40}
KHAC = {"member_id": "PVGAS-0099", "full_name": "Lê Văn Khác", "share_percent": 100}
OFFICER_AS_AUTHOR = {"member_id": "BSR-CB01", "full_name": "Phạm Văn Cán", "share_percent": 40}


def amend(submissions: TestClient, initiative: str, who: dict[str, str], *authors: Any) -> Any:
    return submissions.patch(
        f"/api/v1/initiatives/{initiative}", json={"authors": list(authors)}, headers=who
    )


def authors_of(submissions: TestClient, initiative: str) -> list[str]:
    """Its authors' ids, sorted (the order they were given in is not kept)."""
    stored = submissions.get(f"/api/v1/initiatives/{initiative}", headers=OFFICER_PVGAS).json()
    return sorted(a["member_id"] for a in stored["authors"])


@pytest.mark.parametrize(
    ("co_author", "who", "left"),
    [
        (None, MEMBER_AN, KHAC),  # An hands it to someone else
        (BINH, MEMBER_BINH, BINH | {"share_percent": 100}),  # a co-author drops An
        (OFFICER_AS_AUTHOR, OFFICER_BSR, OFFICER_AS_AUTHOR | {"share_percent": 100}),
    ],
    ids=["member-hands-it-away", "co-author-drops-the-submitter", "officer-outside-the-unit"],
)
def test_no_one_but_an_officer_over_the_unit_takes_an_author_off(
    submissions: TestClient,
    co_author: dict[str, Any] | None,
    who: dict[str, str],
    left: dict[str, Any],
) -> None:
    first = [AN, co_author] if co_author else [AN | {"share_percent": 100}]
    initiative = submitted_by_an(submissions, authors=first)
    before = authors_of(submissions, initiative)

    answer = amend(submissions, initiative, who, left)

    assert answer.status_code == 403, answer.text
    [error] = answer.json()["errors"]
    assert (error["field"], error["code"]) == ("authors", "author_removed")
    assert "Nguyễn Văn An" in error["message_vi"] and "Nguyễn Văn An" in error["message_en"]
    assert error["message_vi"] != error["message_en"]
    assert authors_of(submissions, initiative) == before


def test_an_author_may_add_a_co_author(submissions: TestClient) -> None:
    initiative = submitted_by_an(submissions)
    answer = amend(submissions, initiative, MEMBER_AN, AN, BINH)
    assert answer.status_code == 200, answer.text
    assert authors_of(submissions, initiative) == ["BSR-0301", "PVGAS-0012"]


def test_an_officer_over_the_unit_may_name_other_authors(submissions: TestClient) -> None:
    initiative = submitted_by_an(submissions)
    answer = amend(submissions, initiative, OFFICER_PVGAS, KHAC)
    assert answer.status_code == 200, answer.text
    assert authors_of(submissions, initiative) == ["PVGAS-0099"]


def test_the_authors_keep_the_order_they_were_given_in(submissions: TestClient) -> None:
    """The first is the main author, as the registration form lists them; they came back in
    the database's order (by member id on SQLite), and so did the events."""
    initiative = submitted_by_an(submissions, authors=[AN, BINH])
    url = f"/api/v1/initiatives/{initiative}"

    def in_order() -> list[str]:
        shown = submissions.get(url, headers=OFFICER_PVGAS).json()
        return [a["member_id"] for a in shown["authors"]]

    assert in_order() == ["PVGAS-0012", "BSR-0301"]
    submitted = outbox_events(submissions, contracts.InitiativeSubmitted)
    [event] = [e for e in submitted if e["initiative_id"] == initiative]
    assert [a["member_id"] for a in event["authors"]] == ["PVGAS-0012", "BSR-0301"]

    answer = amend(
        submissions, initiative, MEMBER_AN, BINH | {"share_percent": 60}, AN | {"share_percent": 40}
    )
    assert answer.status_code == 200, answer.text
    assert in_order() == ["BSR-0301", "PVGAS-0012"]
