"""How scoring applies the events it consumes."""

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from services.scoring.tables import ReviewItem
from shared.contracts import InitiativeSubmitted
from shared.messaging.cloudevents import Envelope

AWAITING_REVIEW = "awaiting_review"


async def queue_for_review(event: Envelope[InitiativeSubmitted], session: AsyncSession) -> None:
    initiative = event.data
    session.add(
        ReviewItem(
            initiative_id=initiative.initiative_id,
            campaign_code=initiative.campaign_code,
            unit_code=initiative.unit_code,
            title=initiative.title,
            field=initiative.field,
            status=AWAITING_REVIEW,
            submitted_at=initiative.submitted_at,
            received_at=datetime.now(UTC),
        )
    )
