"""How scoring applies the events it consumes."""

from datetime import UTC, datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from services.scoring.awarding import close, record_fact
from services.scoring.tables import CampaignCopy, ReviewRecord
from shared.contracts import (
    CampaignPublished,
    InitiativeAmended,
    InitiativeSubmitted,
    InitiativeWithdrawn,
    PhaseClosed,
)
from shared.messaging.cloudevents import Envelope
from shared.upsert import upsert

AWAITING_COUNCIL = "awaiting_council"


async def keep_campaign(event: Envelope[CampaignPublished], session: AsyncSession) -> None:
    await upsert(
        session,
        CampaignCopy,
        values={"code": event.data.campaign_code, "definition": event.data.definition},
        key=["code"],
        on_conflict={"definition": event.data.definition},
    )


async def queue_for_review(
    event: Envelope[InitiativeSubmitted | InitiativeAmended], session: AsyncSession
) -> None:
    """A submitted initiative waits for its council; an amendment updates what it shows
    (an amendment can arrive first, on another partition: it then creates the entry)."""
    initiative = event.data
    record = await session.get(ReviewRecord, initiative.initiative_id)
    values: dict[str, Any] = {
        "campaign_code": initiative.campaign_code,
        "phase_code": initiative.phase_code,
        "unit_code": initiative.unit_code,
        "title": initiative.title,
        "field": initiative.field,
        "author_ids": [a.member_id for a in initiative.authors],
        "confidential": initiative.confidential,
        "submitted_at": initiative.submitted_at,
    }
    if record is None:
        session.add(
            ReviewRecord(
                initiative_id=initiative.initiative_id,
                status=AWAITING_COUNCIL,
                council=[],
                scored_by=[],
                updated_at=datetime.now(UTC),
                **values,
            )
        )
    elif record.status == AWAITING_COUNCIL:
        for name, value in values.items():
            setattr(record, name, value)


async def withdraw(event: Envelope[InitiativeWithdrawn], session: AsyncSession) -> None:
    record = await session.get(ReviewRecord, event.data.initiative_id)
    if record is not None:
        record.status = "withdrawn"


async def remember(event: Envelope[Any], session: AsyncSession) -> None:
    """An event the targets and awards are computed from."""
    await record_fact(session, event)


def remembering(handler: Any) -> Any:
    async def handle(event: Envelope[Any], session: AsyncSession) -> None:
        await handler(event, session)
        await record_fact(session, event)

    return handle


async def phase_closed(event: Envelope[PhaseClosed], session: AsyncSession) -> None:
    """Rank and propose the phase's awards (the relay, woken when the batch commits,
    publishes them from the outbox)."""
    await record_fact(session, event)
    await close(session, event.data.campaign_code, event.data.phase_code, event.data.closed_at)
