"""Projections of every event into reporting's read models.

Events can arrive late, twice or out of order across partitions: each projection keeps the
newest content by the event's own time, an initiative's life by the shared fold
(shared.contracts.lifecycle: a withdrawal wins, a later round wins), and a decision found
before its initiative waits in the row that the submission later completes. Every
change to an initiative row also moves the counters it contributes to (`tallies`).
"""

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
from shared.campaign.published import published_campaign
from shared.contracts.vocabulary import AwardStatus, RegistrationStatus
from shared.messaging.cloudevents import Envelope
from shared.messaging.consumer import one_at_a_time

# Where an event belongs, by the names its contract and the read models share.
_PLACE = {"campaign_code", "phase_code", "unit_code"}


async def campaign(event: Envelope[contracts.CampaignPublished], session: AsyncSession) -> None:
    """Keep the campaign file, once it reads as the campaign it names (published_campaign):
    one that did not was kept, and its dashboard, figures and exports were then left out."""
    published_campaign(event.data)
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


def _unit(u: contracts.UnitRecorded) -> dict[str, Any]:
    return u.model_dump(include={"code", "name", "parent_code", "level", "path"})


units = UNITS.projection(_unit)


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


def _registration(
    r: contracts.RegistrationSubmitted
    | contracts.RegistrationReturned
    | contracts.RegistrationApproved,
) -> dict[str, Any]:
    return {
        **r.model_dump(include={"registration_id", *_PLACE}),
        "movement_codes": list(r.movement_codes),
        "status": _REGISTRATION_STATUS[type(r)],
        "status_at": r.at,
    }


registrations = REGISTRATIONS.projection(_registration)


# The newest report of a kind counts; of two recorded at the same time, the first.
REPORTS = Newest(
    ReportView, ("campaign_code", "phase_code", "unit_code", "kind"), "submitted_at", strict=True
)


def _report(r: contracts.ReportSubmitted) -> dict[str, Any]:
    return {
        **r.model_dump(include={*_PLACE, "kind", "late", "submitted_at"}),
        "filed_on": r.filed_day,
        "figures": r.figures,  # finite: the contract refuses NaN and infinity
    }


reports = REPORTS.projection(_report)


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
        row = ComplaintView.model_validate(c, from_attributes=True)
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
        row = AwardView.model_validate(
            a,
            from_attributes=True,
            update={
                # A revocation names no type or level.
                "award_type": getattr(a, "award_type", ""),
                "level": getattr(a, "level", ""),
                "status": status,
                "status_at": a.at,
                "reason": reason,
            },
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
_STANDING_AS_PUBLISHED = {
    *_PLACE,
    *("level", "path", "rank", "rank_of", "points", "benefit_vnd", "overdue_cases"),
    *("revision", "closed_at", "computed_at"),
}


def _standing(s: contracts.StandingPublished) -> dict[str, Any]:
    return {
        **s.model_dump(include=_STANDING_AS_PUBLISHED),
        # The read model's names for what the contract names after the subtree.
        "name": s.unit_name,
        "targets_met": len(s.targets_met),
        "missed": s.targets_missed,
        "missed_en": s.targets_missed_en or None,
        "submitted": s.initiatives_submitted,
        "recognised": s.initiatives_recognised,
    }


standings = STANDINGS.projection(_standing)
