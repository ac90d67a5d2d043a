"""Projections of every event into reporting's read models.

Events can arrive late, twice or out of order across partitions: each projection keeps the
newest content by the event's own time, an initiative's life by the shared fold
(shared.contracts.lifecycle: a withdrawal wins, a later round wins), and a decision found
before its initiative waits in the row that the submission later completes. Every
change to an initiative row also moves the counters it contributes to (`tallies`).
"""

import math
from collections.abc import Sequence
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from services.reporting.service.initiative_rows import fold_events
from services.reporting.service.newest import Newest
from services.reporting.tables import (
    AwardView,
    CampaignView,
    ClosedStandingRow,
    ComplaintView,
    RegistrationView,
    ReportView,
    UnitView,
)
from shared import contracts
from shared.contracts.vocabulary import AwardStatus, RegistrationStatus
from shared.messaging.cloudevents import Envelope
from shared.messaging.consumer import one_at_a_time


async def campaign(event: Envelope[contracts.CampaignPublished], session: AsyncSession) -> None:
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


UNITS = Newest(UnitView, ("code",))  # the unit as it now stands: the last word


async def units(events: Sequence[Envelope[contracts.UnitRecorded]], session: AsyncSession) -> None:
    await UNITS.write(
        session,
        (
            {
                "code": u.code,
                "name": u.name,
                "parent_code": u.parent_code,
                "level": u.level,
                "path": u.path,
            }
            for u in (e.data for e in events)
        ),
    )


# An initiative's life (submissions, amendments, withdrawals, scoring's steps) from both
# topics: a run is folded set-based (service.initiative_rows); one event is a run of one.
initiatives = fold_events
initiative = one_at_a_time(fold_events)


# A registration's newest status shows; of two at the same time, the later one.
REGISTRATIONS = Newest(RegistrationView, ("registration_id",), "status_at")
_REGISTRATION_STATUS = {
    contracts.RegistrationSubmitted: RegistrationStatus.submitted,
    contracts.RegistrationReturned: RegistrationStatus.returned,
    contracts.RegistrationApproved: RegistrationStatus.approved,
}


async def registrations(
    events: Sequence[
        Envelope[
            contracts.RegistrationSubmitted
            | contracts.RegistrationReturned
            | contracts.RegistrationApproved
        ]
    ],
    session: AsyncSession,
) -> None:
    await REGISTRATIONS.write(
        session,
        (
            {
                "registration_id": r.registration_id,
                **_place(r),
                "movement_codes": list(r.movement_codes),
                "status": _REGISTRATION_STATUS[type(r)],
                "status_at": r.at,
            }
            for r in (e.data for e in events)
        ),
    )


def _place(data: Any) -> dict[str, str]:
    """Where an event belongs: its campaign, phase and unit."""
    return {
        "campaign_code": data.campaign_code,
        "phase_code": data.phase_code,
        "unit_code": data.unit_code,
    }


# The newest report of a kind counts; of two recorded at the same time, the first.
REPORTS = Newest(
    ReportView, ("campaign_code", "phase_code", "unit_code", "kind"), "submitted_at", strict=True
)


async def reports(
    events: Sequence[Envelope[contracts.ReportSubmitted]], session: AsyncSession
) -> None:
    await REPORTS.write(
        session,
        (
            {
                **_place(r),
                "kind": r.kind,
                "late": r.late,
                "submitted_at": r.submitted_at,
                "filed_on": r.filed_day,
                "figures": {k: v for k, v in r.figures.items() if math.isfinite(v)},
            }
            for r in (e.data for e in events)
        ),
    )


async def complaint(
    event: Envelope[contracts.ComplaintCaseOpened | contracts.ComplaintCaseResolved],
    session: AsyncSession,
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
    if isinstance(c, contracts.ComplaintCaseResolved):
        row.resolved_on = max(row.resolved_on or c.resolved_on, c.resolved_on)


# A withdrawn proposal may be proposed again; a rejected or revoked award stays so.
FINAL_AWARD_STATUSES = (AwardStatus.rejected, AwardStatus.revoked)


async def award(
    event: Envelope[contracts.AwardGranted | contracts.AwardRejected | contracts.AwardRevoked],
    session: AsyncSession,
) -> None:
    a = event.data
    row = await session.get(AwardView, a.award_id)
    reason: str | None = None
    if isinstance(a, contracts.AwardRevoked):
        status, reason = AwardStatus(a.status), a.reason
    elif isinstance(a, contracts.AwardRejected):
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
        if isinstance(a, contracts.AwardGranted):
            row.award_type, row.level = a.award_type, a.level


# A unit's standing at a phase's close, as scoring ranked it: the newest revision.
STANDINGS = Newest(
    ClosedStandingRow, ("campaign_code", "phase_code", "unit_code"), "revision", strict=True
)


async def standings(
    events: Sequence[Envelope[contracts.StandingPublished]], session: AsyncSession
) -> None:
    await STANDINGS.write(
        session,
        (
            {
                **_place(s),
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
            for s in (e.data for e in events)
        ),
    )
