"""From the stored facts to target progress, and to award proposals when a phase closes.

A phase's awards are computed from what happened before it closed (each fact's own time),
not from what had arrived by then: an event that was in flight at the close, delivered
late, makes scoring compute the phase again. New proposals are added and proposals that no
longer qualify are withdrawn, so the result is the one every event arriving in order gives.
"""

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.scoring.rules.awards import propose_awards
from services.scoring.rules.facts import PhaseFacts
from services.scoring.rules.targets import TargetProgress, evaluate_targets
from services.scoring.tables import Award, CampaignCopy, ClosedPhase, FactEvent, messaging
from shared.campaign.model import Campaign
from shared.contracts import EVENT_TYPES, AwardGranted, AwardRevoked, EventData
from shared.formatting import VIETNAM_TIME
from shared.http.errors import ClientError
from shared.messaging.cloudevents import Envelope, new_envelope
from shared.messaging.outbox import Outbox
from shared.upsert import upsert

SOURCE = "/thidua/scoring"
SUPERSEDED = (
    "Đề xuất được tính lại khi nhận đủ số liệu của đợt / recomputed with the phase's full data"
)


async def record_fact(session: AsyncSession, event: Envelope[Any]) -> None:
    """Keep the event in the fact set (a repeat of one event id changes nothing); if it
    happened before a phase that has already closed, compute that phase again."""
    data = event.data.model_dump(mode="json")
    await upsert(
        session,
        FactEvent,
        values={
            "event_id": event.id,
            "campaign_code": data.get("campaign_code"),
            "event_type": event.type,
            "payload": data,
            "occurred_at": event.time,
        },
        key=["event_id"],
        on_conflict={"payload": data},
    )
    query = select(ClosedPhase).where(col(ClosedPhase.closed_at) >= event.time)
    if data.get("campaign_code"):
        query = query.where(ClosedPhase.campaign_code == data["campaign_code"])
    for closed in (await session.exec(query)).all():
        await propose(session, Outbox(messaging.outbox), closed)


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


async def phase_facts(
    session: AsyncSession, plan: Campaign, phase_code: str, until: datetime | None = None
) -> PhaseFacts:
    if phase_code not in {p.code for p in plan.phases}:
        raise ClientError(
            404,
            "phase_code",
            "unknown_phase",
            f"Không có đợt {phase_code}",
            f"No phase {phase_code}",
        )
    query = select(FactEvent).where(
        (col(FactEvent.campaign_code) == plan.code)
        | col(FactEvent.campaign_code).is_(None)  # units belong to every campaign
    )
    if until is not None:
        query = query.where(col(FactEvent.occurred_at) <= until)
    return PhaseFacts.from_events(plan, phase_code, _events((await session.exec(query)).all()))


async def progress(
    session: AsyncSession, campaign_code: str, phase_code: str, today: date
) -> TargetProgress:
    plan = await campaign(session, campaign_code)
    return evaluate_targets(plan, await phase_facts(session, plan, phase_code), today=today)


async def close(
    session: AsyncSession, campaign_code: str, phase_code: str, closed_at: datetime
) -> list[Award]:
    """The phase is closed as of `closed_at`: remember it and propose its awards."""
    closed = await session.get(ClosedPhase, (campaign_code, phase_code))
    if closed is None:
        closed = ClosedPhase(
            campaign_code=campaign_code, phase_code=phase_code, closed_at=closed_at
        )
        session.add(closed)
        await session.flush()
    return await propose(session, Outbox(messaging.outbox), closed)


async def propose(session: AsyncSession, outbox: Outbox, closed: ClosedPhase) -> list[Award]:
    """Rank and propose the phase's awards from what happened before its close. Ids derive
    from campaign, phase, rule and recipient, so computing again adds only what changed."""
    plan = await campaign(session, closed.campaign_code)
    facts = await phase_facts(session, plan, closed.phase_code, until=closed.closed_at)
    awards = (
        await session.exec(select(Award).where(Award.campaign_code == closed.campaign_code))
    ).all()
    mine = {a.id: a for a in awards if a.phase_code == closed.phase_code}
    others = [
        AwardGranted.model_validate(a.grant)
        for a in awards
        if a.phase_code != closed.phase_code and a.status in ("proposed", "confirmed")
    ]
    proposals = propose_awards(
        plan,
        closed.phase_code,
        facts,
        others,
        today=closed.closed_at.astimezone(VIETNAM_TIME).date(),
    )
    created = []
    for proposal in proposals:
        if proposal.award_id in mine:
            continue
        grant = proposal.to_event(closed.closed_at)
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
    wanted = {p.award_id for p in proposals}
    for award in mine.values():
        # A confirmed award is the admin's decision: only a proposal is withdrawn.
        if award.status == "proposed" and award.id not in wanted:
            award.status, award.revoke_reason = "withdrawn", SUPERSEDED
            await outbox.add(
                session,
                new_envelope(
                    revoked(award, SUPERSEDED, datetime.now(UTC)),
                    source=SOURCE,
                    subject=str(award.id),
                ),
            )
    return created


def confirmed(award: Award, by: str) -> AwardGranted:
    award.status, award.decided_by, award.decided_at = "confirmed", by, datetime.now(UTC)
    return AwardGranted.model_validate(
        award.grant | {"status": "confirmed", "at": award.decided_at}
    )


def revoked(award: Award, reason: str, at: datetime) -> AwardRevoked:
    grant = award.grant
    return AwardRevoked(
        award_id=award.id,
        campaign_code=award.campaign_code,
        phase_code=award.phase_code,
        award_name=grant["award_name"],
        recipient_kind=grant["recipient_kind"],
        recipient_id=grant["recipient_id"],
        recipient_name=grant["recipient_name"],
        unit_code=grant["unit_code"],
        reason=reason,
        at=at,
    )


def _events(rows: Sequence[FactEvent]) -> list[EventData]:
    events = []
    for row in rows:
        contract = EVENT_TYPES.get(row.event_type)
        if contract is not None:
            events.append(contract.model_validate(row.payload))
    return events
