"""From the stored facts to target progress, and to award proposals when a phase closes."""

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Table
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.scoring.rules.awards import propose_awards
from services.scoring.rules.facts import PhaseFacts
from services.scoring.rules.targets import TargetProgress, evaluate_targets
from services.scoring.tables import Award, CampaignCopy, FactEvent
from shared.campaign.model import Campaign
from shared.contracts import EVENT_TYPES, AwardGranted, EventData, PhaseClosed
from shared.formatting import VIETNAM_TIME
from shared.http.errors import ClientError
from shared.messaging.cloudevents import Envelope, new_envelope
from shared.messaging.outbox import Outbox
from shared.upsert import upsert

SOURCE = "/thidua/scoring"


async def record_fact(session: AsyncSession, event: Envelope[Any]) -> None:
    """Keep the event in the fact set (a repeat of one event id changes nothing)."""
    table: Table = FactEvent.__table__  # type: ignore[attr-defined]
    data = event.data.model_dump(mode="json")
    await upsert(
        session,
        table,
        values={
            "event_id": event.id,
            "campaign_code": data.get("campaign_code"),
            "event_type": event.type,
            "payload": data,
        },
        key=["event_id"],
        on_conflict={"payload": data},
    )


async def campaign(session: AsyncSession, campaign_code: str) -> Campaign:
    copy = await session.get(CampaignCopy, campaign_code)
    if copy is None:
        raise ClientError(
            404,
            "campaign_code",
            "unknown_campaign",
            f"Chưa nhận kế hoạch {campaign_code}",
            f"No campaign {campaign_code}",
        )
    return Campaign.model_validate(copy.definition)


async def phase_facts(session: AsyncSession, plan: Campaign, phase_code: str) -> PhaseFacts:
    if phase_code not in {p.code for p in plan.phases}:
        raise ClientError(
            404,
            "phase_code",
            "unknown_phase",
            f"Không có đợt {phase_code}",
            f"No phase {phase_code}",
        )
    rows = (
        await session.exec(
            select(FactEvent).where(
                (col(FactEvent.campaign_code) == plan.code)
                | col(FactEvent.campaign_code).is_(None)  # units belong to every campaign
            )
        )
    ).all()
    return PhaseFacts.from_events(plan, phase_code, _events(rows))


async def progress(
    session: AsyncSession, campaign_code: str, phase_code: str, today: date
) -> TargetProgress:
    plan = await campaign(session, campaign_code)
    return evaluate_targets(plan, await phase_facts(session, plan, phase_code), today=today)


async def close_phase(
    session: AsyncSession, outbox: Outbox, closed: Envelope[PhaseClosed]
) -> list[Award]:
    """Rank and propose awards by the campaign's rules. The same close always proposes the
    same awards (ids derive from campaign, phase, rule and recipient), so a redelivered or
    replayed close adds nothing."""
    event = closed.data
    plan = await campaign(session, event.campaign_code)
    facts = await phase_facts(session, plan, event.phase_code)
    earlier = (
        await session.exec(
            select(Award).where(
                Award.campaign_code == event.campaign_code, col(Award.status) != "revoked"
            )
        )
    ).all()
    proposals = propose_awards(
        plan,
        event.phase_code,
        facts,
        [AwardGranted.model_validate(a.grant) for a in earlier],
        today=event.closed_at.astimezone(VIETNAM_TIME).date(),
    )
    known = {a.id for a in earlier}
    created = []
    for proposal in proposals:
        if proposal.award_id in known:
            continue
        grant = proposal.to_event(event.closed_at)
        award = Award(
            id=grant.award_id,
            campaign_code=grant.campaign_code,
            phase_code=grant.phase_code,
            status="proposed",
            grant=grant.model_dump(mode="json"),
        )
        session.add(award)
        created.append(award)
        await outbox.add(session, new_envelope(grant, source=SOURCE, subject=str(grant.award_id)))
    return created


def confirmed(award: Award, by: str) -> AwardGranted:
    award.status, award.decided_by, award.decided_at = "confirmed", by, datetime.now(UTC)
    return AwardGranted.model_validate(
        award.grant | {"status": "confirmed", "at": award.decided_at}
    )


def _events(rows: Sequence[FactEvent]) -> list[EventData]:
    events = []
    for row in rows:
        contract = EVENT_TYPES.get(row.event_type)
        if contract is not None:
            events.append(contract.model_validate(row.payload))
    return events
