"""The campaign's targets, measured: the federation's figure for each, and which units lag.

Pure, and shared by the two services that show progress: scoring (from the facts a phase's
events establish, to award points) and reporting (from its read models, for the dashboard).
Each passes every unit's own figures (`UnitFigures`); the subtree sums, the targets' rules and
their Vietnamese wording are here, once.

Each unit is also measured against every target on its own (`unit_standings`): that is what
its emulation points are made of. A target's population only says whose figures make the
federation's; a grassroots union is still scored on, say, target 1 by its own registration.

What counts, and for how long (the callers gather the figures this way):
- registrations and initiatives of the year to date (this phase and the earlier ones): the
  targets are yearly ("năm 2022"), and a unit that registered in phase 1 has concretised
  the movements for the year;
- the result report of this phase (the phase-2 report is the year-end tổng kết), whether
  filed on time or late: lateness only matters for award eligibility;
- complaint cases overdue on some day of `overdue_window`;
- initiatives and complaints of a unit's whole subtree: an affiliated union answers for its
  grassroots unions.
"""

from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from shared.campaign.model import (
    Campaign,
    Count,
    CountedEvent,
    Evidence,
    NoneOverdue,
    Population,
    ShareOfUnits,
    Target,
)
from shared.formatting import format_number

# "Công đoàn các cấp" are the Union Charter's levels below the federation: affiliated and
# grassroots unions. A "công đoàn bộ phận" (level `sub`) is part of a grassroots union.
POPULATION_LEVELS: Mapping[Population, frozenset[str]] = {
    Population.affiliated_unions: frozenset({"affiliated"}),
    Population.grassroots_unions: frozenset({"grassroots"}),
    Population.unions_all_levels: frozenset({"affiliated", "grassroots"}),
    Population.members: frozenset(),
}
SCORED_LEVELS = POPULATION_LEVELS[Population.unions_all_levels]
POPULATION_VI: Mapping[Population, str] = {
    Population.affiliated_unions: "công đoàn trực thuộc",
    Population.grassroots_unions: "công đoàn cơ sở",
    Population.unions_all_levels: "công đoàn các cấp",
    Population.members: "đoàn viên, người lao động",
}
COUNTED_VI = {
    CountedEvent.initiative_submitted: "sáng kiến đã nộp",
    CountedEvent.initiative_recognised: "sáng kiến được công nhận",
}


def path_codes(path: str) -> list[str]:
    """The codes on a unit's path, from the federation down to itself."""
    return [code for code in path.split("/") if code]


def overdue_window(campaign: Campaign, phase_code: str, today: date) -> tuple[date, date]:
    """The days on which an overdue complaint case counts against a unit, for this phase."""
    return campaign.period.starts_on, min(campaign.phase(phase_code).ends_on, today)


def overdue_within(
    due_on: date, resolved_on: date | None, start: date, end: date, today: date
) -> bool:
    """Was a complaint case unresolved past its due date on some day from `start` to `end`?
    It is overdue from the day after `due_on` until it is resolved (or until today)."""
    last = resolved_on if resolved_on is not None else today
    return max(due_on + timedelta(days=1), start) <= min(last, end)


@dataclass(frozen=True)
class UnitFigures:
    """What one unit's own events establish (its subtree is summed here)."""

    code: str
    name: str
    level: str  # federation | affiliated | grassroots | sub
    path: str  # 'CDDKVN/PVGAS/PVGAS-KCM/': a subtree is a path prefix
    registered_movements: frozenset[str]  # movements of its approved registrations, to date
    result_figures: Mapping[str, float] | None  # this phase's result report; None: not filed
    submitted: int  # its own initiatives, to date, withdrawn ones left out
    recognised: int
    overdue_cases: int  # its own complaint cases overdue within `overdue_window`
    benefit_vnd: int = 0  # expected benefit of its own initiatives (as submitted)


@dataclass(frozen=True)
class UnitStanding:
    """One unit against every target."""

    code: str
    met: frozenset[int]
    missed: Mapping[int, str]  # target number -> why not, in Vietnamese
    initiatives_submitted: int  # in its subtree, to date
    initiatives_recognised: int
    overdue_cases: int  # in its subtree, within the window
    benefit_vnd: int = 0  # in its subtree


@dataclass
class _Tally:
    weight: int = 0
    submitted: int = 0
    recognised: int = 0
    overdue: int = 0
    benefit: int = 0


def unit_standings(
    campaign: Campaign,
    phase_code: str,
    units: Mapping[str, UnitFigures],
    members: Mapping[str, int] | None = None,
) -> Mapping[str, UnitStanding]:
    """How every unit below the federation stands (only affiliated and grassroots unions
    earn points: `SCORED_LEVELS`). `members` (unit code -> its own members) makes a unit's
    share of a count goal pro rata to its subtree's members, as the campaign file asks;
    without it every unit weighs the same."""
    phase_name = campaign.phase(phase_code).name
    below = [u for u in units.values() if u.level != "federation"]  # `sub` ones too
    own_weight = {u.code: 1 if members is None else members.get(u.code, 0) for u in below}
    # Subtree sums: each unit adds its own figures to every code on its path.
    tally: dict[str, _Tally] = {}
    for unit in below:
        for code in path_codes(unit.path):
            counts = tally.setdefault(code, _Tally())
            counts.weight += own_weight[unit.code]
            counts.submitted += unit.submitted
            counts.recognised += unit.recognised
            counts.overdue += unit.overdue_cases
            counts.benefit += unit.benefit_vnd
    total_weight = sum(own_weight.values())
    standings = {}
    for unit in below:
        counts = tally[unit.code]
        missed = {}
        for target in campaign.targets:
            reason = _miss(target, unit, counts, total_weight, phase_name)
            if reason is not None:
                missed[target.number] = reason
        standings[unit.code] = UnitStanding(
            code=unit.code,
            met=frozenset(t.number for t in campaign.targets) - missed.keys(),
            missed=missed,
            initiatives_submitted=counts.submitted,
            initiatives_recognised=counts.recognised,
            overdue_cases=counts.overdue,
            benefit_vnd=counts.benefit,
        )
    return standings


def _miss(
    target: Target, unit: UnitFigures, counts: _Tally, total_weight: int, phase: str
) -> str | None:
    """Why the unit misses the target on its own, or None if it meets it."""
    indicator = target.indicator
    if isinstance(indicator, ShareOfUnits) and indicator.evidence is Evidence.registration_approved:
        wanted = set(indicator.movements)
        movements = unit.registered_movements & wanted if wanted else unit.registered_movements
        return None if movements else "chưa có đăng ký thi đua được duyệt"
    if isinstance(indicator, ShareOfUnits):
        if unit.result_figures is None:
            return f"chưa nộp báo cáo kết quả {phase}"
        value = unit.result_figures.get(indicator.figure or "")
        if value is None:
            return f"báo cáo kết quả {phase} thiếu số liệu chỉ tiêu {target.number}"
        # model.py: the figure "must be positive"; the portal collects it as a percentage.
        return None if value > 0 else f"báo cáo kết quả {phase} ghi số liệu 0"
    if isinstance(indicator, Count):
        done = (
            counts.submitted
            if indicator.counts is CountedEvent.initiative_submitted
            else (counts.recognised)
        )
        # The unit's share of the goal is goal × weight / total weight; compared in integers
        # (this runs for every unit of a national tree on each request).
        goal, weight = indicator.goal, counts.weight
        if total_weight == 0:
            goal_times, over = goal, 1
        else:
            goal_times, over = goal * weight, total_weight
        if done * over >= goal_times:
            return None
        needed = -(-goal_times // over)  # the share, rounded up
        return f"{format_number(done)}/{format_number(needed)} {COUNTED_VI[indicator.counts]}"
    return f"{counts.overdue} đơn thư khiếu nại, tố cáo quá hạn" if counts.overdue else None


@dataclass(frozen=True)
class LaggingUnit:
    code: str
    name: str
    reason: str


@dataclass(frozen=True)
class TargetStatus:
    number: int
    name: str
    kind: str  # share_of_units | count | none_overdue
    population: Population
    achieved: int  # units with the evidence (without an overdue case), or events counted
    total: int  # the population's size, or the count's goal
    goal: Decimal  # percent of units, or the count's goal
    percent: Decimal  # achieved / total, in percent, one decimal
    met: bool
    exceeded: bool  # a count beyond its goal, when the plan asks to exceed it
    lagging: tuple[LaggingUnit, ...]  # population units that miss it on their own
    summary: str  # e.g. '31/33 công đoàn trực thuộc (93,9%; mục tiêu 100%)'


@dataclass(frozen=True)
class TargetProgress:
    campaign_code: str
    phase_code: str
    as_of: date
    targets: tuple[TargetStatus, ...]

    def target(self, number: int) -> TargetStatus:
        return next(t for t in self.targets if t.number == number)


def evaluate_targets(
    campaign: Campaign,
    phase_code: str,
    units: Mapping[str, UnitFigures],
    *,
    today: date,
    members: Mapping[str, int] | None = None,
    standings: Mapping[str, UnitStanding] | None = None,
) -> TargetProgress:
    """Where the federation stands on each target of the campaign, as of `today`
    (`standings`: `unit_standings` of the same figures, when the caller has them already)."""
    if standings is None:
        standings = unit_standings(campaign, phase_code, units, members)
    statuses = []
    for target in campaign.targets:
        population = [
            units[code]
            for code in sorted(standings)
            if units[code].level in POPULATION_LEVELS[target.population]
        ]
        lagging = tuple(
            LaggingUnit(u.code, u.name, standings[u.code].missed[target.number])
            for u in population
            if target.number in standings[u.code].missed
        )
        statuses.append(_status(target, population, lagging, units))
    return TargetProgress(campaign.code, phase_code, today, tuple(statuses))


def _status(
    target: Target,
    population: list[UnitFigures],
    lagging: tuple[LaggingUnit, ...],
    units: Mapping[str, UnitFigures],
) -> TargetStatus:
    indicator = target.indicator
    people = POPULATION_VI[target.population]
    exceeded = False
    if isinstance(indicator, Count):
        recognised_only = indicator.counts is CountedEvent.initiative_recognised
        achieved = sum(
            u.recognised if recognised_only else u.submitted
            for u in _in_subtrees(units.values(), {u.code for u in population})
        )
        total, goal = indicator.goal, Decimal(indicator.goal)
        met = achieved >= total
        exceeded = indicator.exceed and achieved > total
        summary = (
            f"{format_number(achieved)}/{format_number(total)} {COUNTED_VI[indicator.counts]}"
            f" ({format_number(_percent(achieved, total))}%" + ("; vượt mức)" if exceeded else ")")
        )
    else:
        total, achieved = len(population), len(population) - len(lagging)
        goal = indicator.goal_percent if isinstance(indicator, ShareOfUnits) else Decimal(100)
        # Nothing is measured before the units are known: an empty population does not meet.
        met = total > 0 and _percent(achieved, total, places=None) >= goal
        if isinstance(indicator, NoneOverdue):
            summary = (
                f"Không có {people} nào để đơn thư quá hạn ({achieved}/{total})"
                if not lagging
                else f"{len(lagging)}/{total} {people} có đơn thư khiếu nại, tố cáo quá hạn"
            )
        else:
            summary = (
                f"{achieved}/{total} {people} ({format_number(_percent(achieved, total))}%;"
                f" mục tiêu {format_number(goal)}%)"
            )
    return TargetStatus(
        number=target.number,
        name=target.name,
        kind=indicator.kind,
        population=target.population,
        achieved=achieved,
        total=total,
        goal=goal,
        percent=_percent(achieved, total),
        met=met,
        exceeded=exceeded,
        lagging=lagging,
        summary=summary,
    )


# --- the ranking ------------------------------------------------------------------------------


def emulation_points(campaign: Campaign, standing: UnitStanding) -> int:
    """A unit's emulation score, 0 to 100: the points (`awards.emulation_score`) of the
    targets it meets."""
    points = campaign.awards.emulation_score.target_points
    return sum(points[n] for n in standing.met)


def ranking_order(points: int | Decimal, standing: UnitStanding) -> tuple[Decimal, int, str]:
    """The one ordering of the standings: most emulation points, then most initiatives
    recognised (in the subtree), then the unit's code (which only orders units that tie: they
    share a rank). Scoring ranks a closed phase by it and publishes the ranks; reporting's
    live league of an open phase ranks by it too; award rules select candidates in its
    order."""
    return (-Decimal(points), -standing.initiatives_recognised, standing.code)


@dataclass(frozen=True)
class Rank:
    rank: int  # from 1, within its group; units with equal points and recognised share it
    of: int  # units in its group


def rank_in_groups(
    campaign: Campaign,
    standings: Iterable[UnitStanding],
    group_of: Callable[[str], Hashable],
) -> dict[str, Rank]:
    """Each unit's rank by `ranking_order` among the units of its group (its level; its
    level and cluster ...): 1 + the units strictly ahead of it (1, 2, 2, 4)."""
    ordered = sorted(standings, key=lambda s: ranking_order(emulation_points(campaign, s), s))
    sizes = Counter(group_of(s.code) for s in ordered)
    position: Counter[Hashable] = Counter()
    last: dict[Hashable, tuple[tuple[Decimal, int], int]] = {}  # group -> (figures, rank)
    ranks = {}
    for s in ordered:
        group = group_of(s.code)
        position[group] += 1
        figures = ranking_order(emulation_points(campaign, s), s)[:2]
        previous = last.get(group)
        rank = previous[1] if previous and previous[0] == figures else position[group]
        last[group] = (figures, rank)
        ranks[s.code] = Rank(rank, sizes[group])
    return ranks


def _in_subtrees(units: Iterable[UnitFigures], codes: set[str]) -> Iterable[UnitFigures]:
    """The units that are one of `codes` or below one."""
    return (u for u in units if not codes.isdisjoint(path_codes(u.path)))


def _percent(achieved: int, total: int, places: int | None = 1) -> Decimal:
    if total == 0:
        return Decimal(0)
    exact = Decimal(achieved * 100) / Decimal(total)
    return exact if places is None else exact.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
