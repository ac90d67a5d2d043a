"""The summary's reads: a campaign's figures for a unit and its subtree, rolled up.

Aggregated in SQL over a path prefix (a subtree is `path LIKE 'CDDKVN/PVGAS/%'`): initiatives
from the per-unit tallies, by field and month from the per-day tallies for the whole tree
(which then include initiatives of units not recorded yet) and from the initiatives of the
subtree otherwise, which is a fraction of a national year.
"""

from collections import Counter, defaultdict
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.reporting.queries import all_rows
from services.reporting.tables import (
    COUNTED,
    Core,
    UnitView,
    columns,
    count_per,
    initiative_sums,
    with_unit,
)
from shared.campaign.progress import overdue_on
from shared.contracts.vocabulary import AWARDS_ANNOUNCED, AwardStatus, RegistrationStatus
from shared.formatting import format_vnd
from shared.unit_tree import path_codes, within_where


async def campaign_summary(
    session: AsyncSession,
    campaign_code: str,
    root: UnitView | None,
    phase: str | None,
    day: date,
    *,
    proposals_shown: bool,
) -> dict[str, Any]:
    """The summary of `root`'s subtree (None: the whole tree), as the route answers it; a
    complaint case unresolved past its due day is overdue on `day`, the campaign's today.
    `proposals_shown`: whether the awards' `by_status` counts proposals and the admins'
    verdicts on them (for the admins), or only the awards announced (for everyone else)."""
    path = root.path if root else ""
    in_subtree = within_where(Core.units.c.path, path)
    depth = len(path_codes(path))

    children = (
        await session.execute(
            select(Core.units.c.code, Core.units.c.name, Core.units.c.path)
            .where(Core.units.c.parent_code == (root.code if root else None))
            .order_by(Core.units.c.code)
        )
    ).all()
    per_unit = await all_rows(
        session,
        select(Core.units.c.path, *initiative_sums(Core.unit_tallies))
        .select_from(with_unit(Core.unit_tallies))
        .where(
            Core.unit_tallies.c.campaign_code == campaign_code,
            in_subtree,
            *_in_phase(Core.unit_tallies.c, phase),
        )
        .group_by(Core.units.c.path),
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

    registrations = await all_rows(
        session,
        select(*columns(Core.registrations, "unit_code", "status", "movement_codes"))
        .select_from(with_unit(Core.registrations))
        .where(
            Core.registrations.c.campaign_code == campaign_code,
            in_subtree,
            *_in_phase(Core.registrations.c, phase),
        ),
    )
    approved = [
        (u, movements)
        for u, status, movements in registrations
        if status == RegistrationStatus.approved
    ]
    reports = dict(
        await all_rows(
            session,
            count_per(Core.reports, "late")
            .select_from(with_unit(Core.reports))
            .where(
                Core.reports.c.campaign_code == campaign_code,
                in_subtree,
                *_in_phase(Core.reports.c, phase),
            ),
        )
    )
    # Cases grouped by their two dates, so the one overdue predicate decides (as of `day`).
    cases = (
        await session.execute(
            count_per(Core.complaints, "due_on", "resolved_on")
            .select_from(with_unit(Core.complaints))
            .where(Core.complaints.c.campaign_code == campaign_code, in_subtree)
        )
    ).all()
    open_cases = sum(count for _, resolved, count in cases if resolved is None or resolved > day)
    overdue = sum(
        count for due_on, resolved_on, count in cases if overdue_on(due_on, resolved_on, day)
    )
    awards = await all_rows(
        session,
        count_per(Core.awards, "award_name", "level", "status")
        .select_from(with_unit(Core.awards))
        .where(
            Core.awards.c.campaign_code == campaign_code,
            in_subtree,
            *_in_phase(Core.awards.c, phase),
        ),
    )
    # A proposal is not an award: by type and level, only what an admin confirmed (and did
    # not revoke) counts; every decision shows under `by_status`, to the admins.
    granted = [
        (name, level, n) for name, level, status, n in awards if status == AwardStatus.confirmed
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
            "by_status": _sum_by(
                (status, n)
                for _, _, status, n in awards
                if proposals_shown or status in AWARDS_ANNOUNCED
            ),
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
            select(
                Core.daily_tallies.c.field,
                Core.daily_tallies.c.day,
                func.sum(Core.daily_tallies.c.submitted),
            )
            .where(
                Core.daily_tallies.c.campaign_code == campaign_code,
                *_in_phase(Core.daily_tallies.c, phase),
            )
            .group_by(Core.daily_tallies.c.field, Core.daily_tallies.c.day)
        )
    else:
        query = (
            count_per(Core.initiatives, "field", "day")
            .select_from(with_unit(Core.initiatives))
            .where(
                Core.initiatives.c.campaign_code == campaign_code,
                COUNTED,
                in_subtree,
                *_in_phase(Core.initiatives.c, phase),
            )
        )
    by_field: Counter[str] = Counter()
    by_month: Counter[str] = Counter()
    for field, day, total in await all_rows(session, query):
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
