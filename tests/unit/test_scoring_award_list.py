"""A proposal is not an award. Scoring's list of awards showed every proposal to any member
(a black-box round): who the close proposed, and whom the admins turned down, before any
decision was announced. The admins see every proposal and decision; everyone else sees the
awards that were announced (confirmed, and confirmed then revoked)."""

from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from services.scoring.tables import Award
from shared.contracts.vocabulary import AwardStatus
from tests.unit.conftest import ADMIN, MEMBER_AN, OFFICER_PVGAS, store_rows
from tests.unit.event_examples import granted

STATUSES = {n: status for n, status in enumerate(AwardStatus, start=1)}


@pytest.fixture
def scoring(scoring: TestClient) -> TestClient:
    """One award in each status (tests/unit/conftest.py's scoring)."""
    store_rows(
        scoring,
        *(
            Award(
                id=UUID(int=n),
                campaign_code="2022",
                phase_code="dot-1",
                status=status,
                grant=granted("proposed", award_id=UUID(int=n)).model_dump(mode="json"),
            )
            for n, status in STATUSES.items()
        ),
    )
    return scoring


def _statuses(scoring: TestClient, caller: dict[str, str]) -> set[str]:
    response = scoring.get("/api/v1/awards", params={"campaign_code": "2022"}, headers=caller)
    assert response.status_code == 200, response.text
    return {award["status"] for award in response.json()}


def test_the_admins_see_every_proposal_and_decision(scoring: TestClient) -> None:
    assert _statuses(scoring, ADMIN) == set(AwardStatus)


@pytest.mark.parametrize("caller", [MEMBER_AN, OFFICER_PVGAS], ids=["member", "officer"])
def test_everyone_else_sees_the_awards_announced(
    scoring: TestClient, caller: dict[str, str]
) -> None:
    assert _statuses(scoring, caller) == {"confirmed", "revoked"}
