"""Publishing a campaign and moving its phases: planned → open → closed.

Closing is the federation's act that ends a phase with its review, on a day of the campaign:
refused before the phase's last day unless forced, and final: a closed phase takes no new
entries. The time of each act is the campaign's clock's, passed in.
"""

from datetime import date, datetime
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.submissions.campaigns.rules import campaign_day, campaign_window
from services.submissions.campaigns.tables import CampaignRecord, PhaseRecord
from services.submissions.source import SOURCE
from shared.campaign.cache import CampaignCache
from shared.campaign.fields import name_in
from shared.campaign.model import Campaign
from shared.clock import Clock
from shared.contracts import CampaignPublished, PhaseClosed, PhaseOpened
from shared.contracts.vocabulary import PhaseStatus
from shared.formatting import VIETNAM_TIME, format_date
from shared.messaging.cloudevents import new_envelope
from shared.messaging.outbox import Outbox
from shared.refusals import Kind, Refusal, unknown_campaign, unknown_phase
from shared.upsert import locked_or_added


async def publish_campaign(
    session: AsyncSession, outbox: Outbox, campaign: Campaign, actor: str, now: datetime
) -> CampaignRecord:
    """Store the campaign file (replacing an earlier version while no phase has opened)."""
    definition = campaign.model_dump(mode="json")
    # The campaign and its phases locked: two publications of one code go one after the
    # other (a new code's second insert was a 500), and a phase opened meanwhile is read
    # open, refusing this one, instead of being deleted and put back planned.
    record = await locked_or_added(
        session,
        CampaignRecord(
            code=campaign.code,
            title=campaign.title,
            definition=definition,
            published_by=actor,
            published_at=now,
        ),
        ("code",),
    )
    phases = await phases_of(session, campaign.code, for_update=True)
    if any(phase.status != PhaseStatus.planned for phase in phases):
        raise Refusal(
            Kind.conflict,
            "code",
            "campaign_under_way",
            f"Kế hoạch {campaign.code} đã có đợt thi đua được mở; không thể thay thế",
            f"Campaign {campaign.code} already has a phase opened; it cannot be replaced",
        )
    record.title, record.definition = campaign.title, definition
    record.published_by, record.published_at = actor, now
    for phase in phases:
        await session.delete(phase)
    await session.flush()
    session.add_all(
        PhaseRecord(
            campaign_code=campaign.code,
            code=phase.code,
            position=position,
            starts_on=phase.starts_on,
            ends_on=phase.ends_on,
            report_due_on=phase.report_due_on,
            status=PhaseStatus.planned,
        )
        for position, phase in enumerate(campaign.phases, start=1)
    )
    event = CampaignPublished(
        campaign_code=campaign.code,
        title=campaign.title,
        definition=definition,
        published_by=actor,
    )
    await outbox.add(session, new_envelope(event, source=SOURCE, subject=campaign.code))
    return record


async def phases_of(
    session: AsyncSession,
    campaign_code: str,
    *,
    for_update: bool = False,
    for_share: bool = False,
) -> list[PhaseRecord]:
    """The campaign's phases in order; locked until the transaction ends when asked: to
    change them (`for_update`), or to add an entry to one, side by side with other entries
    but not with a change of the phase (`for_share`)."""
    query = select(PhaseRecord).where(PhaseRecord.campaign_code == campaign_code)
    if for_update or for_share:
        query = query.with_for_update(read=for_share)
    return list((await session.exec(query.order_by(col(PhaseRecord.position)))).all())


async def open_phase(
    session: AsyncSession,
    outbox: Outbox,
    campaign_code: str,
    phase_code: str,
    actor: str,
    now: datetime,
) -> PhaseRecord:
    phase = await _phase(session, campaign_code, phase_code, moved_from=PhaseStatus.planned)
    earlier_open = [
        p.code
        for p in await phases_of(session, campaign_code)
        if p.position < phase.position and p.status == PhaseStatus.open
    ]
    if earlier_open:
        raise _conflict(
            "earlier_phase_open",
            f"Cần đóng đợt {', '.join(earlier_open)} trước khi mở đợt {phase_code}",
            f"Close phase {', '.join(earlier_open)} before opening {phase_code}",
        )
    phase.status, phase.opened_at = PhaseStatus.open, now
    event = PhaseOpened.of(phase, phase_code=phase.code, opened_by=actor)
    await outbox.add(session, new_envelope(event, source=SOURCE, subject=campaign_code))
    return phase


async def close_phase(
    session: AsyncSession,
    outbox: Outbox,
    campaign_code: str,
    phase_code: str,
    actor: str,
    *,
    force: bool,
    reason: str | None,
    closed_on: date | None,
    clock: Clock,
) -> PhaseRecord:
    """Close the phase on `closed_on` (default: the campaign's today), a day of the campaign
    from the phase's first day on."""
    phase = await _phase(session, campaign_code, phase_code, moved_from=PhaseStatus.open)
    # Stamped once the phase is locked: every entry that read it open (accepting_phase) has
    # committed by then, stamped before it, so scoring's "before the close" holds them all.
    now = clock.now()
    campaign = await campaign_definition(session, campaign_code)
    closed_on = campaign_day(
        closed_on,
        field="closed_on",
        what_vi="Ngày đóng đợt",
        today=now.astimezone(VIETNAM_TIME).date(),
        within=[campaign_window(campaign)],
    )
    if closed_on < phase.starts_on:
        raise Refusal(
            Kind.invalid,
            "closed_on",
            "outside_phase",
            f"Ngày đóng đợt ({format_date(closed_on)}) trước ngày bắt đầu đợt "
            f"({format_date(phase.starts_on)})",
            f"closed_on ({format_date(closed_on)}) is before the phase starts "
            f"({format_date(phase.starts_on)})",
        )
    early = closed_on <= phase.ends_on
    if early and not force:
        raise _conflict(
            "phase_not_ended",
            f"Đợt {phase_code} kết thúc ngày {format_date(phase.ends_on)}; muốn đóng sớm "
            "phải chọn đóng bắt buộc (force) và nêu lý do",
            f"Phase {phase_code} ends on {format_date(phase.ends_on)}; closing it early "
            "needs force=true and a reason",
        )
    if early and not (reason or "").strip():
        raise Refusal(
            Kind.invalid,
            "reason",
            "reason_required",
            "Cần nêu lý do đóng đợt sớm",
            "A reason is required to close a phase early",
        )
    phase.status, phase.closed_at, phase.closed_by = PhaseStatus.closed, now, actor
    phase.closed_on, phase.close_reason = closed_on, reason
    event = PhaseClosed.of(phase, phase_code=phase.code, forced=early, reason=reason)
    await outbox.add(session, new_envelope(event, source=SOURCE, subject=campaign_code))
    return phase


async def accepting_phase(
    session: AsyncSession, campaign_code: str, phase_code: str | None = None
) -> PhaseRecord:
    """The phase new entries go to: the one named (which must be open) or the open one.
    Share-locked until the entry commits (as `accepting_phase_of`)."""
    phases = await phases_of(session, campaign_code, for_share=True)
    phase = _chosen(phases, campaign_code, phase_code)
    if phase.status != PhaseStatus.open:
        raise _not_accepting(phase, await campaign_definition(session, campaign_code))
    return phase


async def accepting_phase_of(
    session: AsyncSession,
    campaigns: CampaignCache,
    campaign_code: str,
    phase_code: str | None = None,
) -> tuple[PhaseRecord, Campaign]:
    """`accepting_phase` and its campaign, in one query (the phases with the campaign's
    `published_at`, the cache's version): the file is read and validated again only when this
    process has not seen that version of it. Publishing again is refused once a phase has
    opened, so a campaign taking entries keeps its version."""
    # The phases share-locked until the entry commits: entries go on side by side, but a
    # close waits for those that read the phase open, and one arriving during the close waits
    # for it and reads it closed. Unlocked, an entry that had read the phase open was stored
    # (and announced, after `phase closed`) once the phase had closed, stamped after the close.
    query = (
        select(PhaseRecord, CampaignRecord.published_at)
        .join(CampaignRecord, col(CampaignRecord.code) == col(PhaseRecord.campaign_code))
        .where(PhaseRecord.campaign_code == campaign_code)
        .order_by(col(PhaseRecord.position))
        .with_for_update(read=True, of=PhaseRecord)
    )
    rows = (await session.exec(query)).all()
    phase = _chosen([row[0] for row in rows], campaign_code, phase_code)
    plan = await _cached(session, campaigns, campaign_code, rows[0][1])
    if phase.status != PhaseStatus.open:
        raise _not_accepting(phase, plan)
    return phase, plan


def _chosen(phases: list[PhaseRecord], campaign_code: str, phase_code: str | None) -> PhaseRecord:
    """The phase named, or (none named) the open one; refused when there is no such phase.
    Whether it takes entries is for the caller, which names it in the refusal."""
    if not phases:
        raise unknown_campaign(campaign_code, Kind.invalid)
    if phase_code is None:
        open_phases = [p for p in phases if p.status == PhaseStatus.open]
        if not open_phases:
            raise _conflict(
                "no_open_phase",
                "Hiện không có đợt thi đua nào đang mở",
                "No phase is open for entries now",
                field="phase_code",
            )
        return open_phases[0]
    phase = next((p for p in phases if p.code == phase_code), None)
    if phase is None:
        raise unknown_phase(phase_code, campaign_code, Kind.invalid)
    return phase


def _not_accepting(phase: PhaseRecord, plan: Campaign) -> Refusal:
    """A phase not open takes no entries: said with its name in each language as the plan
    gives it ("Đợt 1", "Phase 1"), and its status in words."""
    status = PhaseStatus(phase.status)
    named = next(p for p in plan.phases if p.code == phase.code)
    return _conflict(
        "phase_not_accepting",
        f"{name_in(named, 'vi')} {status.label_vi.lower()}, không nhận thêm",
        f"{name_in(named, 'en')} is {status.label_en.lower()} and takes no entries",
        field="phase_code",
    )


async def campaign_definition(
    session: AsyncSession, campaign_code: str, campaigns: CampaignCache | None = None
) -> Campaign:
    """The campaign's validated file; with `campaigns`, validated once per version (its
    `published_at`) in this process, only that column read on the next requests."""
    if campaigns is not None:
        query = select(CampaignRecord.published_at).where(CampaignRecord.code == campaign_code)
        published_at = (await session.exec(query)).first()
        if published_at is None:
            raise unknown_campaign(campaign_code)
        return await _cached(session, campaigns, campaign_code, published_at)
    record = await session.get(CampaignRecord, campaign_code)
    if record is None:
        raise unknown_campaign(campaign_code)
    return Campaign.model_validate(record.definition)


async def _cached(
    session: AsyncSession, campaigns: CampaignCache, campaign_code: str, published_at: datetime
) -> Campaign:
    async def definition() -> dict[str, Any]:
        record = await session.get(CampaignRecord, campaign_code)
        assert record is not None  # its version was just read in this transaction
        return record.definition

    return await campaigns.get(campaign_code, published_at, definition)


# Why a phase that is not in the status an act moves it from refuses the act: opening moves
# a phase from planned, closing from open (reason code, then the sentence in vi and en).
_NOT_MOVABLE = {
    PhaseStatus.planned: (
        "phase_not_planned",
        "Đợt {} đã được mở trước đây",
        "Phase {} was already opened",
    ),
    PhaseStatus.open: (
        "phase_not_open",
        "Đợt {} không ở trạng thái đang mở",
        "Phase {} is not open",
    ),
}


async def _phase(
    session: AsyncSession, campaign_code: str, phase_code: str, *, moved_from: PhaseStatus
) -> PhaseRecord:
    # Locked until the act commits: two closes (or opens) at once each read the phase open,
    # and each published its `phase closed` (scoring closed the phase twice). The second one
    # now waits, reads the first one's outcome and is refused.
    phase = await session.get(
        PhaseRecord, {"campaign_code": campaign_code, "code": phase_code}, with_for_update=True
    )
    if phase is None:
        raise unknown_phase(phase_code, campaign_code)
    if phase.status != moved_from:
        code, message_vi, message_en = _NOT_MOVABLE[moved_from]
        raise _conflict(code, message_vi.format(phase_code), message_en.format(phase_code))
    return phase


def _conflict(code: str, vi: str, en: str, field: str = "status") -> Refusal:
    return Refusal(Kind.conflict, field, code, vi, en)
