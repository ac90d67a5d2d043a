"""Reporting's reads shared by the dashboard, the exports and the summaries: campaigns and
phases (or the 404 naming which is unknown), whose figures a caller may see, every unit's own
figures for a phase, and the league table, live or as scoring published it at a phase's close.
"""

import logging
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Executable, func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.reporting.tables import (
    CampaignView,
    ClosedStandingRow,
    Core,
    UnitView,
    initiative_sums,
)
from shared.auth import Principal, Role
from shared.campaign.cache import CampaignCache
from shared.campaign.model import Campaign, Phase, ReportKind
from shared.campaign.progress import (
    TargetProgress,
    UnitFigures,
    UnitStanding,
    emulation_points,
    evaluate_targets,
    overdue_window,
    overdue_within,
    rank_in_groups,
    unit_standings,
)
from shared.campaign.progress import phases_to_date as phases_to_date  # dashboard.queries' too
from shared.contracts.vocabulary import RegistrationStatus
from shared.refusals import Kind, Refusal, unknown_campaign, unknown_phase, unknown_unit
from shared.unit_tree import within
from shared.upsert import table_of

LAGGING_KEPT = 200  # lagging units kept per target for the API (the export lists them all)


log = logging.getLogger(__name__)


class CampaignFiles:
    """Reporting's campaign files, looked up by their version: every dashboard request needs
    its campaign, and reading and validating 20 KB of JSON each time was a tenth of its cost.
    Each request reads the campaign's `published_at`; the file itself is read and validated
    only when the service's `CampaignCache` (shared.campaign.cache, made in `bootstrap.define`
    and shared with whatever else there needs a campaign) has not seen that version. Reached
    through `dependencies.Files`."""

    def __init__(self, campaigns: CampaignCache | None = None) -> None:
        self.campaigns = campaigns or CampaignCache()
        # The stored files already said to be unreadable, by (code, published_at): said once,
        # not on every refresh round (every few seconds) and every dashboard visit.
        self._said_unreadable: set[tuple[str, datetime]] = set()

    async def readable(self, session: AsyncSession) -> list[Campaign]:
        """Every stored campaign file that reads as one under today's contract. A file stored
        under an older one that a bound added since refuses (a complaint's resolution_days of
        999999999 before it was bounded at 366) is logged once and left out: it made the
        refresher fail every round for every campaign and GET /dashboard answer 500, where
        only that campaign's own figures cannot be computed."""
        columns = Core.campaigns.c
        rows = await session.execute(select(columns.code, columns.published_at))
        plans = []
        for code, published_at in rows.all():
            plan = await self._read(session, code, published_at)
            if plan is not None:
                plans.append(plan)
        return plans

    async def get(self, session: AsyncSession, code: str) -> Campaign | None:
        """The campaign; None when reporting has none of that code, or (left out as
        `readable` leaves it out, said once) holds a file that does not read as one: its
        dashboard, figures and exports answered 500, now 404 as for an unknown campaign."""
        published_at = (
            await session.execute(
                select(Core.campaigns.c.published_at).where(Core.campaigns.c.code == code)
            )
        ).scalar_one_or_none()
        if published_at is None:
            return None
        return await self._read(session, code, published_at)

    async def _read(
        self, session: AsyncSession, code: str, published_at: datetime
    ) -> Campaign | None:
        async def definition() -> dict[str, Any]:
            row = await session.get(CampaignView, code)
            assert row is not None  # its version was just read
            return row.definition

        try:
            return await self.campaigns.get(code, published_at, definition)
        except ValidationError as error:
            if (code, published_at) not in self._said_unreadable:
                self._said_unreadable.add((code, published_at))
                log.error(
                    "campaign %s as stored no longer reads as a campaign file, left out: %s",
                    code,
                    error,
                    extra={"campaign_code": code},
                )
            return None


async def unit_figures(
    session: AsyncSession, plan: Campaign, phase_code: str, today: date
) -> dict[str, UnitFigures]:
    """Every unit's own figures for the phase (year to date), in five queries."""
    return figures_from(plan, phase_code, today, await read_inputs(session, plan, phase_code))


@dataclass(frozen=True)
class Inputs:
    tallies: Sequence[Any]
    registrations: Sequence[Any]
    results: Sequence[Any]
    cases: Sequence[Any]
    units: Sequence[Any]


async def read_inputs(session: AsyncSession, plan: Campaign, phase_code: str) -> Inputs:
    phases = phases_to_date(plan, phase_code)
    return Inputs(
        tallies=await all_rows(
            session,
            select(Core.unit_tallies.c.unit_code, *initiative_sums(Core.unit_tallies))
            .where(
                Core.unit_tallies.c.campaign_code == plan.code,
                Core.unit_tallies.c.phase_code.in_(phases),
            )
            .group_by(Core.unit_tallies.c.unit_code),
        ),
        registrations=await all_rows(
            session,
            select(Core.registrations.c.unit_code, Core.registrations.c.movement_codes).where(
                Core.registrations.c.campaign_code == plan.code,
                Core.registrations.c.phase_code.in_(phases),
                Core.registrations.c.status == RegistrationStatus.approved,
            ),
        ),
        results=await all_rows(
            session,
            select(Core.reports.c.unit_code, Core.reports.c.figures).where(
                Core.reports.c.campaign_code == plan.code,
                Core.reports.c.phase_code == phase_code,
                Core.reports.c.kind == ReportKind.result,
            ),
        ),
        cases=await all_rows(
            session,
            select(
                Core.complaints.c.unit_code, Core.complaints.c.due_on, Core.complaints.c.resolved_on
            ).where(Core.complaints.c.campaign_code == plan.code),
        ),
        units=await all_rows(
            session,
            select(Core.units.c.code, Core.units.c.name, Core.units.c.level, Core.units.c.path),
        ),
    )


def figures_from(
    plan: Campaign, phase_code: str, today: date, inputs: Inputs
) -> dict[str, UnitFigures]:
    tallies = {
        unit: (int(submitted), int(recognised), int(benefit))
        for unit, submitted, recognised, benefit in inputs.tallies
    }
    movements: dict[str, set[str]] = defaultdict(set)
    for unit, codes in inputs.registrations:
        movements[unit].update(codes)
    results = dict(inputs.results)
    start, end = overdue_window(plan, phase_code, today)
    overdue: dict[str, int] = defaultdict(int)
    for unit, due_on, resolved_on in inputs.cases:
        overdue[unit] += overdue_within(due_on, resolved_on, start, end, today)
    figures = {}
    for code, name, level, path in inputs.units:
        submitted, recognised, benefit = tallies.get(code, (0, 0, 0))
        figures[code] = UnitFigures(
            code=code,
            name=name,
            level=level,
            path=path,
            registered_movements=frozenset(movements.get(code, ())),
            result_figures=results.get(code),
            submitted=submitted,
            recognised=recognised,
            overdue_cases=overdue.get(code, 0),
            benefit_vnd=benefit,
        )
    return figures


async def all_rows(session: AsyncSession, query: Executable) -> Sequence[Any]:
    """Every row `query` reads."""
    return (await session.execute(query)).all()


def measure(
    plan: Campaign, phase_code: str, inputs: Inputs, today: date
) -> tuple[TargetProgress, list[dict[str, Any]]]:
    figures = figures_from(plan, phase_code, today, inputs)
    standings = unit_standings(plan, phase_code, figures)
    progress = evaluate_targets(plan, phase_code, figures, today=today, standings=standings)
    return progress, league(plan, figures, standings)


def target_rows(progress: TargetProgress, now: datetime) -> list[dict[str, Any]]:
    """The federation against each target as `target_progress` keeps it, by number."""
    return [
        {
            "campaign_code": progress.campaign_code,
            "phase_code": progress.phase_code,
            "number": t.number,
            "name": t.name,
            "kind": t.kind,
            "population": t.population.value,
            "achieved": t.achieved,
            "total": t.total,
            "goal": float(t.goal),
            "percent": float(t.percent),
            "met": t.met,
            "exceeded": t.exceeded,
            "summary": t.summary,
            "lagging_count": len(t.lagging),
            "lagging": [
                {"code": u.code, "name": u.name, "reason": u.reason}
                for u in t.lagging[:LAGGING_KEPT]
            ],
            "computed_at": now,
        }
        for t in sorted(progress.targets, key=lambda t: t.number)
    ]


def league(
    plan: Campaign, figures: Mapping[str, UnitFigures], standings: Mapping[str, UnitStanding]
) -> list[dict[str, Any]]:
    """Every standing unit with its rank among its level, live (an open phase's league), by
    the ordering scoring ranks a closed phase with (`shared.campaign.progress.ranking_order`:
    emulation points, then initiatives recognised, then code)."""
    ranks = rank_in_groups(plan, standings.values(), lambda code: figures[code].level)
    return [
        {
            "unit_code": s.code,
            "name": figures[s.code].name,
            "level": figures[s.code].level,
            "path": figures[s.code].path,
            "rank": ranks[s.code].rank,
            "points": emulation_points(plan, s),
            "targets_met": len(s.met),
            "missed": {str(n): reason for n, reason in sorted(s.missed.items())},
            "missed_en": {str(n): reason for n, reason in sorted(s.missed_en.items())},
            "submitted": s.initiatives_submitted,
            "recognised": s.initiatives_recognised,
            "benefit_vnd": s.benefit_vnd,
            "overdue_cases": s.overdue_cases,
        }
        for s in standings.values()
    ]


async def closed_levels(session: AsyncSession, campaign_code: str, phase_code: str) -> set[str]:
    """The levels whose standings at the phase's close scoring published in full: their
    league is the published one (`closed_standings`), not computed here."""
    c = table_of(ClosedStandingRow).c
    rows = await session.execute(
        select(c.level, func.count(), func.max(c.rank_of))
        .where(c.campaign_code == campaign_code, c.phase_code == phase_code)
        .group_by(c.level)
    )
    return {level for level, count, of in rows if count >= of}


async def closed_league(
    session: AsyncSession, campaign_code: str, phase_code: str
) -> list[dict[str, Any]]:
    """The published league rows of the levels complete (as `league` gives them)."""
    levels = await closed_levels(session, campaign_code, phase_code)
    if not levels:
        return []
    table = table_of(ClosedStandingRow)
    columns = ["unit_code", "name", "level", "path", "rank", "points", "targets_met", "missed"]
    columns += ["missed_en"]
    columns += ["submitted", "recognised", "benefit_vnd", "overdue_cases"]
    rows = await session.execute(
        select(*(table.c[name] for name in columns)).where(
            table.c.campaign_code == campaign_code,
            table.c.phase_code == phase_code,
            table.c.level.in_(levels),
        )
    )
    return [dict(row._mapping) for row in rows]


async def campaign_or_404(session: AsyncSession, files: CampaignFiles, code: str) -> Campaign:
    plan = await files.get(session, code)
    if plan is None:
        raise unknown_campaign(code)
    return plan


def phase_or_404(plan: Campaign, code: str) -> Phase:
    for phase in plan.phases:
        if phase.code == code:
            return phase
    raise unknown_phase(code, plan.code)


async def scope_root(
    session: AsyncSession, principal: Principal, unit: str | None
) -> UnitView | None:
    code = unit or (
        None
        if principal.is_federation_admin or principal.has_role(Role.REVIEWER)
        else principal.unit_code
    )
    if code is None:
        return (
            await session.exec(select(UnitView).where(col(UnitView.parent_code).is_(None)))
        ).first()
    root = await session.get(UnitView, code)
    if root is None:
        raise unknown_unit(code, "unit", Kind.not_found)
    if not (principal.is_federation_admin or principal.has_role(Role.REVIEWER)):
        own = await session.get(UnitView, principal.unit_code)
        if own is None or not within(root.path, own.path):
            raise Refusal(
                Kind.forbidden,
                "unit",
                "forbidden_unit",
                f"Bạn không có quyền xem số liệu của đơn vị {code}",
                f"You may not see the figures of unit {code}",
            )
    return root
