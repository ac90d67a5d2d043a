"""Confidentiality hides an initiative's content, never its people: one rule per channel
(services/submissions/initiatives/rules.py `may_read_content`)."""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

import pytest
from fastapi.testclient import TestClient

from services.submissions.demo import token
from shared.auth import Role
from shared.contracts import (
    CONTRACTS,
    InitiativeRecognised,
    InitiativeWithdrawn,
)
from shared.contracts.initiative_parts import CONTENT_PARTS
from tests.unit.conftest import ADMIN, MEMBER_AN, OFFICER_BSR, OFFICER_PVGAS
from tests.unit.submissions_helpers import about, apply, seat_council, secret

CONTENT = CONTENT_PARTS | {"attachments"}
ON_COUNCIL = token("HD-TRONG", "CDDKVN", Role.REVIEWER)
OFF_COUNCIL = token("HD-NGOAI", "CDDKVN", Role.REVIEWER)


def read(submissions: TestClient, initiative_id: str, headers: dict[str, str]) -> Any:
    return submissions.get(f"/api/v1/initiatives/{initiative_id}", headers=headers)


def test_only_its_people_and_its_own_council_read_a_confidential_initiatives_content(
    submissions: TestClient,
) -> None:
    initiative_id = secret(submissions)
    seat_council(submissions, initiative_id, "HD-TRONG", "HD-2", "HD-3")
    for who in (MEMBER_AN, OFFICER_PVGAS, ADMIN, ON_COUNCIL):
        shown = read(submissions, initiative_id, who).json()
        assert shown["content_withheld"] is False
        assert shown["problem"].startswith("Xúc tác")
    withheld = read(submissions, initiative_id, OFF_COUNCIL).json()
    # Not its content; still who and what it is, and where it stands.
    assert withheld["content_withheld"] is True
    assert withheld["problem"] is None and withheld["solution"] is None
    assert withheld["title"] == "Quy trình xử lý xúc tác bí mật"
    assert [a["member_id"] for a in withheld["authors"]] == ["PVGAS-0012"]
    assert withheld["status"] == "under_review"
    # An officer of another subtree does not see it at all.
    assert read(submissions, initiative_id, OFFICER_BSR).status_code == 404


def test_a_reviewer_off_its_council_gets_no_content_in_the_list_nor_its_attachments(
    submissions: TestClient,
) -> None:
    initiative_id = secret(submissions, title="Sáng kiến mật trong danh sách")
    listed = submissions.get("/api/v1/initiatives", params={"limit": 500}, headers=OFF_COUNCIL)
    row = next(i for i in listed.json()["items"] if i["id"] == initiative_id)
    assert row["content_withheld"] is True and row["problem"] is None
    refused = submissions.get(
        f"/api/v1/initiatives/{initiative_id}/attachments", headers=OFF_COUNCIL
    )
    assert refused.status_code == 403
    error = refused.json()["errors"][0]
    assert error["code"] == "confidential_content" and "mật" in error["message_vi"]
    assert submissions.get(
        f"/api/v1/initiatives/{initiative_id}/attachments", headers=MEMBER_AN
    ).is_success


def test_an_ordinary_initiatives_content_is_read_by_any_reviewer(submissions: TestClient) -> None:
    initiative_id = secret(submissions, confidential=False, title="Sáng kiến công khai")
    shown = read(submissions, initiative_id, OFF_COUNCIL).json()
    assert shown["content_withheld"] is False and shown["problem"].startswith("Xúc tác")


def test_no_event_contract_carries_an_initiatives_content() -> None:
    """Events go to every consumer and, forwarded by notifications, to outside systems'
    webhooks; reporting's dashboard and exports are made from them: none can leak content."""
    for contract in CONTRACTS:
        assert not CONTENT & set(contract.model_fields), contract.event_type


def test_a_decision_reaches_submissions_and_moves_the_confidential_initiative(
    submissions: TestClient,
) -> None:
    initiative_id = secret(submissions, title="Sáng kiến mật được công nhận")
    seat_council(submissions, initiative_id, "HD-TRONG", "HD-2", "HD-3")
    apply(
        submissions,
        InitiativeRecognised(
            **about(initiative_id, "Sáng kiến mật được công nhận"),
            decided_at=datetime.now(UTC),
            weighted_score=8.0,
            votes_for=3,
            council_size=3,
        ),
    )
    shown = read(submissions, initiative_id, MEMBER_AN).json()
    assert shown["status"] == "recognised" and shown["status_vi"] == "Được công nhận"
    recognised = submissions.get(
        "/api/v1/initiatives", params={"status": "recognised"}, headers=MEMBER_AN
    ).json()
    assert initiative_id in [i["id"] for i in recognised["items"]]


def test_a_member_replaced_on_the_council_no_longer_reads_the_content(
    submissions: TestClient,
) -> None:
    initiative_id = secret(submissions, title="Sáng kiến mật, hội đồng thay người")
    seat_council(submissions, initiative_id, "HD-TRONG", "HD-2", "HD-3")
    seat_council(submissions, initiative_id, "HD-NGOAI", "HD-2", "HD-3")
    assert read(submissions, initiative_id, ON_COUNCIL).json()["content_withheld"] is True
    assert read(submissions, initiative_id, OFF_COUNCIL).json()["content_withheld"] is False


def test_an_event_made_from_a_row_copies_only_the_fields_it_declares() -> None:
    """`EventData.of` is how submissions makes its events from rows and scoring its award
    proposals from dataclasses: content the row holds never reaches the event."""

    @dataclass(frozen=True)
    class Held:
        initiative_id: UUID
        campaign_code: str
        phase_code: str
        unit_code: str
        problem: str  # content: the event has no field for it

    row = Held(uuid4(), "2022", "dot-1", "PVGAS-KCM", "Xúc tác mất hoạt tính sớm.")
    at = datetime(2022, 3, 1, 8, tzinfo=UTC)
    event = InitiativeWithdrawn.of(row, withdrawn_by="PVGAS-0012", withdrawn_at=at, round=2)
    assert event.initiative_id == row.initiative_id and event.round == 2
    dumped = event.model_dump()
    assert "problem" not in dumped and CONTENT.isdisjoint(dumped)
    assert row.problem not in event.model_dump_json()
    with pytest.raises(TypeError):
        InitiativeWithdrawn.of({"initiative_id": row.initiative_id})
