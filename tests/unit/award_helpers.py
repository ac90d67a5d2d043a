"""Scoring's awards in the unit tests: an award as scoring stores it, and storing it."""

from datetime import UTC, datetime
from uuid import UUID, uuid4

from fastapi.testclient import TestClient

from services.scoring.tables import Award
from shared.campaign.model import Campaign
from shared.contracts import AwardGranted
from tests.unit.conftest import store_rows


def award(
    campaign: Campaign,
    rule_code: str,
    recipient: str,
    name: str,
    unit: str,
    status: str = "confirmed",
    *,
    reasons: tuple[str, ...] = ("Đạt 95 điểm thi đua",),
) -> Award:
    """An award as scoring stores it: the `award granted` data of a campaign rule."""
    rule = next(r for r in campaign.awards.rules if r.code == rule_code)
    kind = next(t for t in campaign.awards.types if t.code == rule.award)
    grant = AwardGranted(
        award_id=uuid4(),
        campaign_code=campaign.code,
        phase_code=rule.granted_at,
        award_type=kind.code,
        award_name=kind.name,
        level=kind.level.value,
        recipient_kind="member" if rule.recipient.value == "individual" else "unit",
        recipient_id=recipient,
        recipient_name=name,
        unit_code=unit,
        reasons=reasons,
        status="proposed",
        at=datetime(2023, 1, 2, tzinfo=UTC),
        rule_code=rule.code,
    )
    return Award(
        id=grant.award_id,
        campaign_code=grant.campaign_code,
        phase_code=grant.phase_code,
        status=status,
        grant=grant.model_dump(mode="json"),
    )


def add(client: TestClient, row: Award) -> UUID:
    store_rows(client, row)
    return row.id
