"""The campaign's targets, measured: the federation's figure for each, and which units lag.

Pure, and shared by the two services that show progress: scoring (from the facts a phase's
events establish, to award points) and reporting (from its read models, for the dashboard).
Each passes every unit's own figures (`UnitFigures`); the subtree sums, the targets' rules and
their wording are here, once.

The wording is Vietnamese and English. The Vietnamese is what is stored and travels (a
target's `summary`, a unit's reasons in `missed` and scoring's `standing.published`); the
English is said from the same values (`summary_en`, `missed_en`, `reason_en`). A reason that
arrives as Vietnamese text only (an event, a stored row) is read back into its values and said
in English by `reason_en` (`Reason.read`); what no template here words stays Vietnamese.

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

import re
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

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
from shared.contracts.vocabulary import Language, UnitLevel
from shared.formatting import format_number
from shared.unit_tree import path_codes

# "Công đoàn các cấp" are the Union Charter's levels below the federation: affiliated and
# grassroots unions. A "công đoàn bộ phận" (level `sub`) is part of a grassroots union.
POPULATION_LEVELS: Mapping[Population, frozenset[UnitLevel]] = {
    Population.affiliated_unions: frozenset({UnitLevel.affiliated}),
    Population.grassroots_unions: frozenset({UnitLevel.grassroots}),
    Population.unions_all_levels: frozenset({UnitLevel.affiliated, UnitLevel.grassroots}),
    Population.members: frozenset(),
}
SCORED_LEVELS = POPULATION_LEVELS[Population.unions_all_levels]
POPULATION_VI: Mapping[Population, str] = {
    Population.affiliated_unions: "công đoàn trực thuộc",
    Population.grassroots_unions: "công đoàn cơ sở",
    Population.unions_all_levels: "công đoàn các cấp",
    Population.members: "đoàn viên, người lao động",
}
POPULATION_EN: Mapping[Population, str] = {
    Population.affiliated_unions: "affiliated unions",
    Population.grassroots_unions: "grassroots unions",
    Population.unions_all_levels: "unions at all levels",
    Population.members: "members and workers",
}
COUNTED_VI = {
    CountedEvent.initiative_submitted: "sáng kiến đã nộp",
    CountedEvent.initiative_recognised: "sáng kiến được công nhận",
}
COUNTED_EN = {
    CountedEvent.initiative_submitted: "initiatives submitted",
    CountedEvent.initiative_recognised: "initiatives recognised",
}

# Why a unit misses a target, by kind: (Vietnamese, English), filled with `Reason`'s values.
REASONS: Mapping[str, tuple[str, str]] = {
    "no_registration": (
        "chưa có đăng ký thi đua được duyệt",
        "no emulation registration approved yet",
    ),
    "no_report": ("chưa nộp báo cáo kết quả {phase}", "{phase} result report not filed yet"),
    "figure_missing": (
        "báo cáo kết quả {phase} thiếu số liệu chỉ tiêu {number}",
        "{phase} result report lacks the figure of target {number}",
    ),
    "figure_zero": ("báo cáo kết quả {phase} ghi số liệu 0", "{phase} result report gives 0"),
    "short": ("{done}/{needed} {counted}", "{done}/{needed} {counted}"),
    "overdue": (
        "{overdue} đơn thư khiếu nại, tố cáo quá hạn",
        "complaint or denunciation cases overdue: {overdue}",
    ),
}


@dataclass(frozen=True)
class Reason:
    """Why a unit misses a target, as values: `text` says it in Vietnamese or English."""

    kind: str  # a key of REASONS
    phase: tuple[str, str] = ("", "")  # the phase's name: Vietnamese, English (or "")
    number: int = 0  # the target's
    done: int = 0
    needed: int = 0
    counted: CountedEvent = CountedEvent.initiative_submitted
    overdue: int = 0

    def text(self, lang: Language = "vi") -> str:
        vi, en = REASONS[self.kind]
        english = lang == "en"
        return (en if english else vi).format(
            phase=(self.phase[1] or self.phase[0]) if english else self.phase[0],
            number=self.number,
            done=format_number(self.done, 0, lang),
            needed=format_number(self.needed, 0, lang),
            counted=(COUNTED_EN if english else COUNTED_VI)[self.counted],
            overdue=format_number(self.overdue, 0, lang),
        )

    @classmethod
    def read(cls, text: str, campaign: Campaign) -> "Reason | None":
        """The reason a Vietnamese `text` says (as `text("vi")` wrote it, for a phase of
        `campaign`), or None if it is not one of REASONS."""
        phase_names = tuple(p.name for p in campaign.phases)
        for kind, pattern in _reason_patterns(phase_names).items():
            found = pattern.fullmatch(text.strip())
            if found is None:
                continue
            values = found.groupdict()
            phase = next((p for p in campaign.phases if p.name == values.get("phase")), None)
            counted = next(
                (c for c, words in COUNTED_VI.items() if words == values.get("counted")), None
            )
            return cls(
                kind,
                phase=(phase.name, phase.name_en or "") if phase else ("", ""),
                number=int(values.get("number") or 0),
                done=_read_int(values.get("done")),
                needed=_read_int(values.get("needed")),
                counted=counted or CountedEvent.initiative_submitted,
                overdue=_read_int(values.get("overdue")),
            )
        return None


def reason_en(text: str, campaign: Campaign) -> str | None:
    """A reason stored or sent in Vietnamese, in English; None when it is not one this
    module words (the reader is shown the Vietnamese)."""
    reason = Reason.read(text, campaign)
    return None if reason is None else reason.text("en")


def _read_int(text: str | None) -> int:
    return int(text.replace(".", "")) if text else 0


@cache
def _reason_patterns(phase_names: tuple[str, ...]) -> Mapping[str, re.Pattern[str]]:
    """Each Vietnamese template of REASONS as a pattern, over a campaign's phase names."""
    phases = "|".join(re.escape(name) for name in phase_names)
    counted = "|".join(re.escape(words) for words in COUNTED_VI.values())
    groups = {
        "phase": f"(?P<phase>{phases})",
        "number": r"(?P<number>\d+)",
        "done": r"(?P<done>\d[\d.]*)",
        "needed": r"(?P<needed>\d[\d.]*)",
        "counted": f"(?P<counted>{counted})",
        "overdue": r"(?P<overdue>\d[\d.]*)",
    }
    patterns = {}
    for kind, (vi, _) in REASONS.items():
        parts = re.split(r"\{(\w+)\}", vi)  # literal, name, literal, name, ...
        pattern = "".join(
            groups[part] if position % 2 else re.escape(part) for position, part in enumerate(parts)
        )
        patterns[kind] = re.compile(pattern)
    return patterns


def phases_to_date(campaign: Campaign, phase_code: str) -> list[str]:
    """This phase and the earlier ones: the targets are yearly, so registrations, initiatives
    and their figures count the year to date."""
    codes = [p.code for p in campaign.phases]
    return codes[: codes.index(phase_code) + 1]


def overdue_window(campaign: Campaign, phase_code: str, today: date) -> tuple[date, date]:
    """The days on which an overdue complaint case counts against a unit, for this phase."""
    return campaign.period.starts_on, min(campaign.phase(phase_code).ends_on, today)


def overdue_within(
    due_on: date, resolved_on: date | None, start: date, end: date, today: date
) -> bool:
    """Was a complaint case unresolved past its due date on some day from `start` to `end`?
    It is overdue from the day after `due_on` until it is resolved (or until today)."""
    last = min(resolved_on if resolved_on is not None else today, end)
    # Some day d with due_on < d and start <= d <= last; compared, not computed, so a due date
    # of date.max (stored before days were bounded) cannot overflow.
    return due_on < last and start <= last


def overdue_on(due_on: date, resolved_on: date | None, today: date) -> bool:
    """Has a complaint case been unresolved past its due date, as of `today` (the campaign's)?
    `overdue_within` over every day so far: as a list of cases and a summary show it."""
    return overdue_within(due_on, resolved_on, date.min, today, today)


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
    reasons: Mapping[int, Reason] = field(default_factory=dict)  # what `missed` says

    @property
    def missed_en(self) -> Mapping[int, str]:
        """Target number -> why not, in English (said when asked: most readers read the
        Vietnamese)."""
        return {number: reason.text("en") for number, reason in self.reasons.items()}


@dataclass
class _Tally:
    """A unit's subtree sums, gathered before its standing is worked out: its members' weight,
    its initiatives submitted and recognised and their expected benefit (VND), and its
    complaint cases overdue."""

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
    phase = campaign.phase(phase_code)
    phase_name = (phase.name, phase.name_en or "")
    below = [u for u in units.values() if u.level != UnitLevel.federation]  # `sub` ones too
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
        reasons = {}
        for target in campaign.targets:
            reason = _miss(target, unit, counts, total_weight, phase_name)
            if reason is not None:
                reasons[target.number] = reason
        standings[unit.code] = UnitStanding(
            code=unit.code,
            met=frozenset(t.number for t in campaign.targets) - reasons.keys(),
            missed={number: reason.text() for number, reason in reasons.items()},
            reasons=reasons,
            initiatives_submitted=counts.submitted,
            initiatives_recognised=counts.recognised,
            overdue_cases=counts.overdue,
            benefit_vnd=counts.benefit,
        )
    return standings


def _miss(
    target: Target, unit: UnitFigures, counts: _Tally, total_weight: int, phase: tuple[str, str]
) -> Reason | None:
    """Why the unit misses the target on its own, or None if it meets it."""
    indicator = target.indicator
    if isinstance(indicator, ShareOfUnits) and indicator.evidence is Evidence.registration_approved:
        wanted = set(indicator.movements)
        movements = unit.registered_movements & wanted if wanted else unit.registered_movements
        return None if movements else Reason("no_registration")
    if isinstance(indicator, ShareOfUnits):
        if unit.result_figures is None:
            return Reason("no_report", phase=phase)
        value = unit.result_figures.get(indicator.figure or "")
        if value is None:
            return Reason("figure_missing", phase=phase, number=target.number)
        # model.py: the figure "must be positive"; the portal collects it as a percentage.
        return None if value > 0 else Reason("figure_zero", phase=phase)
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
        return Reason("short", done=done, needed=needed, counted=indicator.counts)
    return Reason("overdue", overdue=counts.overdue) if counts.overdue else None


@dataclass(frozen=True)
class LaggingUnit:
    code: str
    name: str
    reason: str  # in Vietnamese
    reason_en: str = ""


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
    name_en: str = ""  # the campaign file's English name, if it gives one
    summary_en: str = ""  # e.g. '31/33 affiliated unions (93.9%; goal 100%)'


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
            _lagging(u, standings[u.code], target.number)
            for u in population
            if target.number in standings[u.code].missed
        )
        statuses.append(_status(target, population, lagging, units))
    return TargetProgress(campaign.code, phase_code, today, tuple(statuses))


def _lagging(unit: UnitFigures, standing: UnitStanding, number: int) -> LaggingUnit:
    reason = standing.reasons.get(number)
    english = reason.text("en") if reason is not None else ""
    return LaggingUnit(unit.code, unit.name, standing.missed[number], english)


def summary_text(
    target: Target, achieved: int, total: int, lagging: int, lang: Language = "vi"
) -> str:
    """A target's figures in a sentence, in `lang`: `achieved` of `total` (units, or the
    count against its goal), `lagging` units of the population missing it. What
    `TargetStatus.summary` (Vietnamese) and `summary_en` say; a reader of stored figures
    says it again from them."""
    indicator = target.indicator
    english = lang == "en"

    def n(value: int | Decimal) -> str:
        return format_number(value, 1, lang)

    if isinstance(indicator, Count):
        counted = (COUNTED_EN if english else COUNTED_VI)[indicator.counts]
        exceeded = indicator.exceed and achieved > total
        tail = ("; exceeded)" if english else "; vượt mức)") if exceeded else ")"
        return f"{n(achieved)}/{n(total)} {counted} ({n(_percent(achieved, total))}%{tail}"
    people = (POPULATION_EN if english else POPULATION_VI)[target.population]
    if isinstance(indicator, NoneOverdue):
        if english:
            return (
                f"None of the {people} let a complaint go overdue ({n(achieved)}/{n(total)})"
                if not lagging
                else f"{n(lagging)}/{n(total)} {people} with complaint or denunciation cases"
                " overdue"
            )
        return (
            f"Không có {people} nào để đơn thư quá hạn ({n(achieved)}/{n(total)})"
            if not lagging
            else f"{n(lagging)}/{n(total)} {people} có đơn thư khiếu nại, tố cáo quá hạn"
        )
    goal = "goal" if english else "mục tiêu"
    return (
        f"{n(achieved)}/{n(total)} {people} ({n(_percent(achieved, total))}%;"
        f" {goal} {n(indicator.goal_percent)}%)"
    )


def _status(
    target: Target,
    population: list[UnitFigures],
    lagging: tuple[LaggingUnit, ...],
    units: Mapping[str, UnitFigures],
) -> TargetStatus:
    indicator = target.indicator
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
    else:
        total, achieved = len(population), len(population) - len(lagging)
        goal = indicator.goal_percent if isinstance(indicator, ShareOfUnits) else Decimal(100)
        # Nothing is measured before the units are known: an empty population does not meet.
        met = total > 0 and _percent(achieved, total, places=None) >= goal
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
        summary=summary_text(target, achieved, total, len(lagging)),
        name_en=target.name_en or "",
        summary_en=summary_text(target, achieved, total, len(lagging), "en"),
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
