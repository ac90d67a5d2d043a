"""A decision on an award is never stamped before what it decides on. The proposal carries
the close's time (submissions' clock), the decision scoring's clock; in a simulated year each
process's clock starts at its own start, so scoring's may run behind, and a confirmation
stamped before its proposal was kept by reporting (which keeps an award's newest word) as the
older one: the award showed as proposed for good (found by a read-only review)."""

from datetime import UTC, datetime, timedelta
from uuid import UUID

from fastapi.testclient import TestClient

from services.scoring.tables import Award
from shared.clock import FixedClock
from shared.contracts import AwardGranted, AwardRevoked
from tests.unit.conftest import ADMIN, store_rows
from tests.unit.event_examples import granted
from tests.unit.submissions_helpers import outbox_events

PROPOSED_AT = datetime(2022, 7, 15, 10, tzinfo=UTC)
AWARD = UUID(int=7)


def test_a_decision_on_a_clock_behind_is_stamped_no_earlier_than_the_proposal(
    scoring: TestClient,
) -> None:
    proposal = granted("proposed", PROPOSED_AT, award_id=AWARD)
    store_rows(
        scoring,
        Award(
            id=AWARD,
            campaign_code="2022",
            phase_code="dot-1",
            status="proposed",
            grant=proposal.model_dump(mode="json"),
        ),
    )
    behind = FixedClock(PROPOSED_AT - timedelta(hours=3))
    scoring.app.state.clock = behind  # type: ignore[attr-defined]

    confirmed = scoring.post(f"/api/v1/awards/{AWARD}/confirm", headers=ADMIN)
    assert confirmed.status_code == 200, confirmed.text
    revoked = scoring.post(
        f"/api/v1/awards/{AWARD}/revoke", json={"reason": "Trùng thành tích"}, headers=ADMIN
    )
    assert revoked.status_code == 200, revoked.text

    [grant] = outbox_events(scoring, AwardGranted)
    [revocation] = outbox_events(scoring, AwardRevoked)
    assert datetime.fromisoformat(grant["at"]) == PROPOSED_AT
    assert datetime.fromisoformat(revocation["at"]) == PROPOSED_AT
