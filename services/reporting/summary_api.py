"""Reporting's summaries: a campaign's figures for a unit and its subtree, rolled up.

The federation sees everything; a unit officer sees their own subtree; anyone signed in may
read the federation-wide aggregates (published figures).

Aggregated in SQL over a path prefix (a subtree is `path LIKE 'CDDKVN/PVGAS/%'`): initiatives
from the per-unit tallies, by field and month from the per-day tallies for the whole tree
(which then include initiatives of units not recorded yet) and from the initiatives of the
subtree otherwise, which is a fraction of a national year.
"""

from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Query
from sqlalchemy import Executable, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.reporting.queries import scope_root
from services.reporting.tables import (
    AwardView,
    ComplaintView,
    DailyTally,
    InitiativeView,
    RegistrationView,
    ReportView,
    UnitTally,
    UnitView,
)
from shared.auth import CurrentPrincipal
from shared.campaign.progress import path_codes
from shared.clock import today
from shared.contracts.vocabulary import AwardStatus, RegistrationStatus
from shared.formatting import format_vnd
from shared.http.dependencies import CampaignClock, DbSession
from shared.upsert import table_of

router = APIRouter(prefix="/api/v1", tags=["summaries"])
_units_table = table_of(UnitView)
_units = _units_table.c
_tally = table_of(UnitTally).c
_daily = table_of(DailyTally).c
_initiatives = table_of(InitiativeView).c
_registrations = table_of(RegistrationView).c
_reports = table_of(ReportView).c
_complaints = table_of(ComplaintView).c
_awards = table_of(AwardView).c


@router.get("/summary/{campaign_code}")
async def summary(
    campaign_code: str,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: CampaignClock,
    unit: str | None = None,
    phase: Annotated[
        str | None, Query(description="Only this phase (complaint cases are not per phase).")
    ] = None,
) -> dict[str, Any]:
    """Tổng hợp: initiatives (submitted, recognised, benefit) by unit, field and month
    received; registrations by movement; reports on time and late; complaints overdue;
    awards by type and level — for `unit` (default: the caller's unit, or the federation) and
    below, for the whole campaign or one `phase`."""
    root = await scope_root(session, principal, unit)
    path = root.path if root else ""
    in_subtree = _units.path.startswith(path)
    depth = len(path_codes(path))

    def of_subtree(table_unit: Any) -> Any:
        return _units_table, _units.code == table_unit

    children = (
        await session.execute(
            select(_units.code, _units.name, _units.path)
            .where(_units.parent_code == (root.code if root else None))
            .order_by(_units.code)
        )
    ).all()
    per_unit = await _all(
        session,
        select(
            _units.path,
            func.sum(_tally.submitted),
            func.sum(_tally.recognised),
            func.sum(_tally.benefit_vnd),
        )
        .join(*of_subtree(_tally.unit_code))
        .where(_tally.campaign_code == campaign_code, in_subtree, *_in_phase(_tally, phase))
        .group_by(_units.path),
    )
    by_child: dict[str, Counter[str]] = defaultdict(Counter)
    totals: Counter[str] = Counter()
    for unit_path, submitted, recognised, benefit in per_unit:
        # int(): PostgreSQL sums a bigint into a numeric, which JSON would carry as a string.
        figures = {
            "submitted": int(submitted),
            "recognised": int(recognised),
            "benefit_vnd": int(benefit),
        }
        totals.update(figures)
        # The child a unit rolls up to is the code on its path one level below the root.
        codes = path_codes(unit_path)
        if len(codes) > depth:
            by_child[codes[depth]].update(figures)
    by_field, by_month = await _fields_and_months(session, campaign_code, phase, root, in_subtree)

    registrations = await _all(
        session,
        select(_registrations.unit_code, _registrations.status, _registrations.movement_codes)
        .join(*of_subtree(_registrations.unit_code))
        .where(
            _registrations.campaign_code == campaign_code,
            in_subtree,
            *_in_phase(_registrations, phase),
        ),
    )
    approved = [
        (u, movements)
        for u, status, movements in registrations
        if status == RegistrationStatus.approved
    ]
    reports = dict(
        await _all(
            session,
            select(_reports.late, func.count())
            .join(*of_subtree(_reports.unit_code))
            .where(_reports.campaign_code == campaign_code, in_subtree, *_in_phase(_reports, phase))
            .group_by(_reports.late),
        )
    )
    day = today(clock)  # a case unresolved past its due day is overdue on the campaign's today
    open_cases, overdue = (
        await session.execute(
            select(
                func.count().filter(_complaints.resolved_on.is_(None)),
                func.count().filter(
                    func.coalesce(_complaints.resolved_on, day) > _complaints.due_on
                ),
            )
            .join(*of_subtree(_complaints.unit_code))
            .where(_complaints.campaign_code == campaign_code, in_subtree)
        )
    ).one()
    awards = await _all(
        session,
        select(_awards.award_name, _awards.level, _awards.status, func.count())
        .join(*of_subtree(_awards.unit_code))
        .where(_awards.campaign_code == campaign_code, in_subtree, *_in_phase(_awards, phase))
        .group_by(_awards.award_name, _awards.level, _awards.status),
    )
    granted = [
        (name, level, n) for name, level, status, n in awards if status != AwardStatus.revoked
    ]
    return {
        "campaign_code": campaign_code,
        "unit": {"code": root.code, "name": root.name} if root else None,
        "initiatives": {
            "submitted": totals["submitted"],
            "recognised": totals["recognised"],
            "benefit_vnd": totals["benefit_vnd"],
            "benefit_display": format_vnd(totals["benefit_vnd"]),
            "by_unit": [
                {"code": c.code, "name": c.name, **by_child.get(c.code, Counter())}
                for c in children
            ],
            "by_field": by_field,
            "by_month": by_month,
        },
        "registrations": {
            "approved_units": len({u for u, _ in approved}),
            "by_movement": dict(Counter(m for _, movements in approved for m in movements)),
            "by_status": dict(Counter(status for _, status, _ in registrations)),
        },
        "reports": {"on_time": reports.get(False, 0), "late": reports.get(True, 0)},
        "complaints": {"open": open_cases, "overdue": overdue},
        "awards": {
            "by_type": _sum_by(((name, n) for name, _, n in granted)),
            "by_level": _sum_by(((level, n) for _, level, n in granted)),
            "by_status": _sum_by(((status, n) for _, _, status, n in awards)),
        },
    }


def _in_phase(columns: Any, phase: str | None) -> list[Any]:
    return [] if phase is None else [columns.phase_code == phase]


async def _fields_and_months(
    session: AsyncSession,
    campaign_code: str,
    phase: str | None,
    root: UnitView | None,
    in_subtree: Any,
) -> tuple[dict[str, int], dict[str, int]]:
    whole_tree = root is None or root.parent_code is None
    if whole_tree:
        query = (
            select(_daily.field, _daily.day, func.sum(_daily.submitted))
            .where(_daily.campaign_code == campaign_code, *_in_phase(_daily, phase))
            .group_by(_daily.field, _daily.day)
        )
    else:
        query = (
            select(_initiatives.field, _initiatives.day, func.count())
            .join(_units_table, _units.code == _initiatives.unit_code)
            .where(
                _initiatives.campaign_code == campaign_code,
                _initiatives.withdrawn.is_(False),
                _initiatives.field != "",
                in_subtree,
                *_in_phase(_initiatives, phase),
            )
            .group_by(_initiatives.field, _initiatives.day)
        )
    by_field: Counter[str] = Counter()
    by_month: Counter[str] = Counter()
    for field, day, total in await _all(session, query):
        count = int(total)
        if count:
            by_field[field] += count
            by_month[day.strftime("%Y-%m")] += count
    return dict(by_field), dict(sorted(by_month.items()))


def _sum_by(pairs: Any) -> dict[str, int]:
    sums: Counter[str] = Counter()
    for key, n in pairs:
        sums[key] += n
    return dict(sums)


async def _all(session: AsyncSession, query: Executable) -> Sequence[Any]:
    return (await session.execute(query)).all()
