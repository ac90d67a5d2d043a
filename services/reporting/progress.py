"""The seven targets and the league table, computed from the read models and kept in
`target_progress` and `standings` (a materialised view refreshed by `refresher`).

Why materialised: a national year has ten thousand units, and measuring them all against
every target takes longer than a dashboard request may (the issue asks p95 < 50 ms); the
read models change by the event, the standings only need to be as fresh as a dashboard is
looked at. A refresh is skipped while the read models' fingerprint is unchanged.
"""

import asyncio
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.reporting.tables import (
    AwardView,
    CampaignView,
    ClosedStandingRow,
    ComplaintView,
    RefreshState,
    RegistrationView,
    ReportView,
    StandingRow,
    TargetProgressRow,
    UnitTally,
    UnitView,
)
from shared.campaign.model import Campaign
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
from shared.upsert import table_of, upsert, upsert_many

_tally = table_of(UnitTally).c
_reg = table_of(RegistrationView).c
_rep = table_of(ReportView).c
_cases = table_of(ComplaintView).c
_units = table_of(UnitView).c
_camp = table_of(CampaignView).c
_awards = table_of(AwardView).c
LAGGING_KEPT = 200  # lagging units kept per target for the API (the export lists them all)


async def campaigns(session: AsyncSession) -> list[Campaign]:
    rows = (await session.execute(select(table_of(CampaignView).c.definition))).all()
    return [Campaign.model_validate(definition) for (definition,) in rows]


# Validated campaign files by (code, published_at): every dashboard request needs its
# campaign, and reading and validating 20 KB of JSON each time was a tenth of its cost.
_validated: dict[tuple[str, datetime], Campaign] = {}


async def campaign(session: AsyncSession, code: str) -> Campaign | None:
    published_at = (
        await session.execute(select(_camp.published_at).where(_camp.code == code))
    ).scalar_one_or_none()
    if published_at is None:
        return None
    key = (code, published_at)
    if key not in _validated:
        row = await session.get(CampaignView, code)
        assert row is not None
        _validated[key] = Campaign.model_validate(row.definition)
    return _validated[key]


def phases_to_date(plan: Campaign, phase_code: str) -> list[str]:
    """This phase and the earlier ones: the targets are yearly."""
    codes = [p.code for p in plan.phases]
    return codes[: codes.index(phase_code) + 1]


async def unit_figures(
    session: AsyncSession, plan: Campaign, phase_code: str, today: date
) -> dict[str, UnitFigures]:
    """Every unit's own figures for the phase (year to date), in five queries."""
    return _figures(plan, phase_code, today, await _inputs(session, plan, phase_code))


@dataclass(frozen=True)
class _Inputs:
    tallies: Sequence[Any]
    registrations: Sequence[Any]
    results: Sequence[Any]
    cases: Sequence[Any]
    units: Sequence[Any]


async def _inputs(session: AsyncSession, plan: Campaign, phase_code: str) -> _Inputs:
    phases = phases_to_date(plan, phase_code)
    return _Inputs(
        tallies=await _rows(
            session,
            select(
                _tally.unit_code,
                func.sum(_tally.submitted),
                func.sum(_tally.recognised),
                func.sum(_tally.benefit_vnd),
            )
            .where(_tally.campaign_code == plan.code, _tally.phase_code.in_(phases))
            .group_by(_tally.unit_code),
        ),
        registrations=await _rows(
            session,
            select(_reg.unit_code, _reg.movement_codes).where(
                _reg.campaign_code == plan.code,
                _reg.phase_code.in_(phases),
                _reg.status == "approved",
            ),
        ),
        results=await _rows(
            session,
            select(_rep.unit_code, _rep.figures).where(
                _rep.campaign_code == plan.code,
                _rep.phase_code == phase_code,
                _rep.kind == "result",
            ),
        ),
        cases=await _rows(
            session,
            select(_cases.unit_code, _cases.due_on, _cases.resolved_on).where(
                _cases.campaign_code == plan.code
            ),
        ),
        units=await _rows(session, select(_units.code, _units.name, _units.level, _units.path)),
    )


def _figures(
    plan: Campaign, phase_code: str, today: date, inputs: _Inputs
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


async def _rows(session: AsyncSession, query: Any) -> Sequence[Any]:
    return (await session.execute(query)).all()


async def fingerprint(
    session: AsyncSession, campaign_code: str, phase_code: str, phases: list[str], today: date
) -> str:
    """Changes when anything a phase's progress is computed from changes (in practice: a
    hash would need every row; these sums move with every event reporting applies). An event
    of a later phase leaves an earlier phase's alone."""
    parts: list[Any] = [today.isoformat()]
    for query in (
        select(func.count(), func.sum(func.length(_units.name) + func.length(_units.path))),
        select(
            func.count(),
            func.sum(_tally.submitted),
            func.sum(_tally.recognised),
            func.sum(_tally.benefit_vnd),
        ).where(_tally.campaign_code == campaign_code, _tally.phase_code.in_(phases)),
        select(func.count(), func.max(_reg.status_at)).where(
            _reg.campaign_code == campaign_code, _reg.phase_code.in_(phases)
        ),
        select(func.count(), func.max(_rep.submitted_at)).where(
            _rep.campaign_code == campaign_code, _rep.phase_code == phase_code
        ),
        select(
            func.count(),
            func.count(_cases.resolved_on),
            func.max(_cases.due_on),
        ).where(_cases.campaign_code == campaign_code),
        select(_camp.published_at).where(_camp.code == campaign_code),
        # Not an input of the targets, but of the business gauges refreshed with them.
        select(func.count(), func.max(_awards.status_at)).where(
            _awards.campaign_code == campaign_code
        ),
    ):
        parts.extend((await session.execute(query)).one_or_none() or ())
    return "|".join(str(p) for p in parts)


async def refresh(
    session: AsyncSession, plan: Campaign, phase_code: str, today: date, now: datetime
) -> bool:
    """Recompute the phase's progress if its inputs changed; True if it did."""
    mark = await fingerprint(
        session, plan.code, phase_code, phases_to_date(plan, phase_code), today
    )
    state = await session.get(RefreshState, (plan.code, phase_code))
    if state is not None and state.fingerprint == mark:
        return False
    started = time.perf_counter()
    inputs = await _inputs(session, plan, phase_code)
    # A national tree takes a second of pure Python: in a thread, so that the event loop
    # goes on answering requests and applying events meanwhile (the GIL is shared by turns).
    progress, ranked = await asyncio.to_thread(_measure, plan, phase_code, inputs, today)
    await _store_targets(session, progress, now)
    await _store_standings(session, plan.code, phase_code, ranked)
    seconds = time.perf_counter() - started
    values = {"fingerprint": mark, "computed_at": now, "seconds": seconds}
    await upsert(
        session,
        RefreshState,
        {"campaign_code": plan.code, "phase_code": phase_code, **values},
        ["campaign_code", "phase_code"],
        values,
    )
    return True


def _measure(
    plan: Campaign, phase_code: str, inputs: _Inputs, today: date
) -> tuple[TargetProgress, list[dict[str, Any]]]:
    figures = _figures(plan, phase_code, today, inputs)
    standings = unit_standings(plan, phase_code, figures)
    progress = evaluate_targets(plan, phase_code, figures, today=today, standings=standings)
    return progress, league(plan, figures, standings)


async def _store_targets(session: AsyncSession, progress: TargetProgress, now: datetime) -> None:
    for t in progress.targets:
        values: dict[str, Any] = {
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
        key = {
            "campaign_code": progress.campaign_code,
            "phase_code": progress.phase_code,
            "number": t.number,
        }
        await upsert(session, TargetProgressRow, {**key, **values}, list(key), values)


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
    columns += ["submitted", "recognised", "benefit_vnd", "overdue_cases"]
    rows = await session.execute(
        select(*(table.c[name] for name in columns)).where(
            table.c.campaign_code == campaign_code,
            table.c.phase_code == phase_code,
            table.c.level.in_(levels),
        )
    )
    return [dict(row._mapping) for row in rows]


_written: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}


def forget_written() -> None:
    """After a failed transaction: what was remembered as written may not be."""
    _written.clear()


async def _store_standings(
    session: AsyncSession,
    campaign_code: str,
    phase_code: str,
    ranked: list[dict[str, Any]],
) -> None:
    """Write only the rows that changed: most units' standings stay put between refreshes.
    What this process wrote last is remembered, so only the first refresh reads them back
    (another replica computes the same rows from the same read models)."""
    table = table_of(StandingRow)
    where = (table.c.campaign_code == campaign_code) & (table.c.phase_code == phase_code)
    stored = _written.get((campaign_code, phase_code))
    if stored is None:
        columns = [c.name for c in table.columns if c.name not in ("campaign_code", "phase_code")]
        stored = {
            row.unit_code: dict(row._mapping)
            for row in (await session.execute(select(*(table.c[c] for c in columns)).where(where)))
        }
    fresh = {row["unit_code"]: row for row in ranked}
    _written[campaign_code, phase_code] = fresh
    changed = [
        {"campaign_code": campaign_code, "phase_code": phase_code, **row}
        for code, row in fresh.items()
        if stored.get(code) != row
    ]
    await upsert_many(session, StandingRow, changed, ["campaign_code", "phase_code", "unit_code"])
    gone = stored.keys() - fresh.keys()
    if gone:
        await session.execute(delete(table).where(where, table.c.unit_code.in_(gone)))
