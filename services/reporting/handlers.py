"""Projections of every event into reporting's read models.

Events can arrive late, twice or out of order across partitions: each projection keeps the
newest content by the event's own time, an initiative's life by the shared fold
(shared.contracts.lifecycle: a withdrawal wins, a later round wins), and a decision found
before its initiative waits in the row that the submission later completes. Every
change to an initiative row also moves the counters it contributes to (`tallies`).
"""

import math
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.reporting.service.tallies import Changes, contribution
from services.reporting.tables import (
    AwardView,
    CampaignView,
    ClosedStandingRow,
    ComplaintView,
    InitiativeView,
    RegistrationView,
    ReportView,
    UnitView,
)
from shared.contracts import (
    AwardGranted,
    AwardRejected,
    AwardRevoked,
    CampaignPublished,
    ComplaintCaseOpened,
    ComplaintCaseResolved,
    EventData,
    InitiativeAmended,
    InitiativeCouncilAssigned,
    InitiativeNotRecognised,
    InitiativeRecognised,
    InitiativeReturned,
    InitiativeSubmitted,
    InitiativeWithdrawn,
    RegistrationApproved,
    RegistrationReturned,
    RegistrationSubmitted,
    ReportSubmitted,
    StandingPublished,
    UnitRecorded,
)
from shared.contracts.lifecycle import InitiativeStatus, advance
from shared.contracts.vocabulary import AwardStatus, RegistrationStatus
from shared.messaging.cloudevents import Envelope
from shared.upsert import upsert


async def campaign(event: Envelope[CampaignPublished], session: AsyncSession) -> None:
    row = await session.get(CampaignView, event.data.campaign_code)
    if row is None:
        session.add(
            CampaignView(
                code=event.data.campaign_code,
                definition=event.data.definition,
                published_at=event.time,
            )
        )
    elif event.time >= row.published_at:  # a republished file replaces an older one only
        row.definition, row.published_at = event.data.definition, event.time


async def unit(event: Envelope[UnitRecorded], session: AsyncSession) -> None:
    u = event.data
    values = {"name": u.name, "parent_code": u.parent_code, "level": u.level, "path": u.path}
    await upsert(session, UnitView, {"code": u.code, **values}, ["code"], values)


async def initiative(
    event: Envelope[InitiativeSubmitted | InitiativeAmended], session: AsyncSession
) -> None:
    row = await session.get(InitiativeView, event.data.initiative_id)
    await _one(session, _fold, row, event)


async def withdrawn(event: Envelope[InitiativeWithdrawn], session: AsyncSession) -> None:
    row = await session.get(InitiativeView, event.data.initiative_id)
    await _one(session, _fold, row, event)


async def reviewed(
    event: Envelope[
        InitiativeCouncilAssigned
        | InitiativeReturned
        | InitiativeRecognised
        | InitiativeNotRecognised
    ],
    session: AsyncSession,
) -> None:
    """Scoring's part of the initiative's life: a council seated, a return, a decision."""
    row = await session.get(InitiativeView, event.data.initiative_id)
    await _one(session, _fold, row, event)


async def _one(
    session: AsyncSession, fold: Any, row: InitiativeView | None, event: Envelope[Any]
) -> None:
    changes = Changes()
    fold(session, row, event, changes)
    await changes.write(session)


async def initiatives(events: Sequence[Envelope[Any]], session: AsyncSession) -> None:
    """A run of an initiative's life events (submissions, amendments, withdrawals, scoring's
    decisions), in order: their rows read in one query, folded in memory as the events one
    by one fold them (written at the flush, together), the counters' moves summed and
    written with one upsert per counter table."""
    ids = {e.data.initiative_id for e in events}
    found = await session.exec(
        select(InitiativeView).where(col(InitiativeView.initiative_id).in_(ids))
    )
    rows: dict[UUID, InitiativeView] = {r.initiative_id: r for r in found.all()}
    changes = Changes()
    for event in events:
        key = event.data.initiative_id
        rows[key] = _fold(session, rows.get(key), event, changes)
    await changes.write(session)


def _fold(
    session: AsyncSession, row: InitiativeView | None, event: Envelope[Any], changes: Changes
) -> InitiativeView:
    """One life event on the initiative's row (None: not seen yet), its counters' move noted."""
    if isinstance(event.data, InitiativeSubmitted):  # an amendment is one too
        return _content(session, row, event, changes)
    if row is None:  # a withdrawal or a decision overtook the submission: remember it
        row = _placeholder(event.data, event.time)
        session.add(row)
    before = contribution(row)
    _move(row, event.data)
    changes.change(before, contribution(row))
    return row


def _content(
    session: AsyncSession,
    row: InitiativeView | None,
    event: Envelope[InitiativeSubmitted | InitiativeAmended],
    changes: Changes,
) -> InitiativeView:
    i = event.data
    if row is not None and row.version_at > event.time:
        # An older version than the one shown: its content is stale, its place in the
        # initiative's life is still folded in (the fold keeps the later state).
        before = contribution(row)
        _move(row, i)
        changes.change(before, contribution(row))
        return row
    before = contribution(row)
    received_on = i.received_day  # the campaign's day, not the day it was typed in
    values: dict[str, Any] = {
        "campaign_code": i.campaign_code,
        "phase_code": i.phase_code,
        "unit_code": i.unit_code,
        "title": i.title,
        "field": i.field,
        "month": received_on.strftime("%Y-%m"),
        "day": received_on,
        "expected_benefit_vnd": i.expected_benefit_vnd or 0,
        "version_at": event.time,
    }
    if row is None:
        row = InitiativeView(initiative_id=i.initiative_id, **values)
        session.add(row)
    else:
        for name, value in values.items():
            setattr(row, name, value)
    _move(row, i)
    changes.change(before, contribution(row))
    return row


def _move(row: InitiativeView, event: EventData) -> None:
    """Fold the event into the row's life; the counters read `withdrawn` and `recognised`."""
    after = advance(row.status, row.round, event)
    row.status, row.round = after.status, after.round
    row.withdrawn = after.status is InitiativeStatus.withdrawn
    row.recognised = (
        True
        if after.status is InitiativeStatus.recognised
        else False
        if after.status is InitiativeStatus.not_recognised
        else None
    )


def _placeholder(data: Any, at: datetime) -> InitiativeView:
    # Completed by the submission when it arrives; its version time is older than any real one.
    return InitiativeView(
        initiative_id=data.initiative_id,
        campaign_code=data.campaign_code,
        phase_code=data.phase_code,
        unit_code=data.unit_code,
        title=getattr(data, "title", ""),
        field="",
        month="",
        version_at=datetime.min.replace(tzinfo=at.tzinfo),
    )


async def registration(
    event: Envelope[RegistrationSubmitted | RegistrationReturned | RegistrationApproved],
    session: AsyncSession,
) -> None:
    r = event.data
    status = {
        RegistrationSubmitted: "submitted",
        RegistrationReturned: "returned",
        RegistrationApproved: RegistrationStatus.approved,
    }[type(r)]
    row = await session.get(RegistrationView, r.registration_id)
    if row is not None and row.status_at > r.at:
        return
    values: dict[str, Any] = {
        "campaign_code": r.campaign_code,
        "phase_code": r.phase_code,
        "unit_code": r.unit_code,
        "movement_codes": list(r.movement_codes),
        "status": status,
        "status_at": r.at,
    }
    if row is None:
        session.add(RegistrationView(registration_id=r.registration_id, **values))
    else:
        for name, value in values.items():
            setattr(row, name, value)


async def report(event: Envelope[ReportSubmitted], session: AsyncSession) -> None:
    r = event.data
    key = {
        "campaign_code": r.campaign_code,
        "phase_code": r.phase_code,
        "unit_code": r.unit_code,
        "kind": r.kind,
    }
    row = await session.get(ReportView, key)
    figures = {name: value for name, value in r.figures.items() if math.isfinite(value)}
    if row is None:
        session.add(
            ReportView(
                **key,
                late=r.late,
                submitted_at=r.submitted_at,
                filed_on=r.filed_day,
                figures=figures,
            )
        )
    elif r.submitted_at > row.submitted_at:  # the newest report of the kind counts
        row.late, row.submitted_at, row.filed_on = r.late, r.submitted_at, r.filed_day
        row.figures = figures


async def complaint(
    event: Envelope[ComplaintCaseOpened | ComplaintCaseResolved], session: AsyncSession
) -> None:
    # Merged as scoring merges them, whatever the order: the earliest received date, the
    # latest due date (a later one is an extension), the latest resolution.
    c = event.data
    row = await session.get(ComplaintView, c.case_id)
    if row is not None:
        row.received_on = min(row.received_on, c.received_on)
        row.due_on = max(row.due_on, c.due_on)
    else:
        row = ComplaintView(
            case_id=c.case_id,
            campaign_code=c.campaign_code,
            unit_code=c.unit_code,
            received_on=c.received_on,
            due_on=c.due_on,
        )
        session.add(row)
    if isinstance(c, ComplaintCaseResolved):
        row.resolved_on = max(row.resolved_on or c.resolved_on, c.resolved_on)


# A withdrawn proposal may be proposed again; a rejected or revoked award stays so.
FINAL_AWARD_STATUSES = (AwardStatus.rejected, AwardStatus.revoked)


async def award(
    event: Envelope[AwardGranted | AwardRejected | AwardRevoked], session: AsyncSession
) -> None:
    a = event.data
    row = await session.get(AwardView, a.award_id)
    reason: str | None = None
    if isinstance(a, AwardRevoked):
        status, reason = AwardStatus(a.status), a.reason
    elif isinstance(a, AwardRejected):
        status, reason = AwardStatus.rejected, a.reason
    else:
        status = AwardStatus(a.status)
    if row is None:
        row = AwardView(
            award_id=a.award_id,
            campaign_code=a.campaign_code,
            phase_code=a.phase_code,
            award_type=getattr(a, "award_type", ""),
            award_name=a.award_name,
            level=getattr(a, "level", ""),
            recipient_kind=a.recipient_kind,
            recipient_id=a.recipient_id,
            recipient_name=a.recipient_name,
            unit_code=a.unit_code,
            status=status,
            status_at=a.at,
            reason=reason,
        )
        session.add(row)
    elif row.status not in FINAL_AWARD_STATUSES and (
        status in FINAL_AWARD_STATUSES or a.at >= row.status_at
    ):
        # A rejection or a revocation is final; otherwise the newest decision shows.
        row.status, row.status_at, row.reason = status, a.at, reason
        if isinstance(a, AwardGranted):
            row.award_type, row.level = a.award_type, a.level


async def standing(event: Envelope[StandingPublished], session: AsyncSession) -> None:
    """A unit's standing at a phase's close, as scoring ranked it: the newest revision."""
    s = event.data
    row = await session.get(ClosedStandingRow, (s.campaign_code, s.phase_code, s.unit_code))
    if row is not None and row.revision >= s.revision:
        return
    values: dict[str, Any] = {
        "name": s.unit_name,
        "level": s.level,
        "path": s.path,
        "rank": s.rank,
        "rank_of": s.rank_of,
        "points": s.points,
        "targets_met": len(s.targets_met),
        "missed": s.targets_missed,
        "submitted": s.initiatives_submitted,
        "recognised": s.initiatives_recognised,
        "benefit_vnd": s.benefit_vnd,
        "overdue_cases": s.overdue_cases,
        "revision": s.revision,
        "closed_at": s.closed_at,
        "computed_at": s.computed_at,
    }
    if row is None:
        key: dict[str, Any] = {"campaign_code": s.campaign_code, "phase_code": s.phase_code}
        session.add(ClosedStandingRow(**key, unit_code=s.unit_code, **values))
    else:
        for name, value in values.items():
            setattr(row, name, value)
