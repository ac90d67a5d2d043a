"""The campaign's targets measured on a phase's facts (the rules are in
`shared.campaign.progress`, shared with reporting): scoring gathers each unit's own figures
from the facts and hands them over."""

from collections.abc import Mapping
from datetime import date

from services.scoring.domain.facts import PhaseFacts, UnitFacts
from shared.campaign.model import Campaign
from shared.campaign.progress import (
    POPULATION_LEVELS,
    POPULATION_VI,
    SCORED_LEVELS,
    TargetProgress,
    UnitFigures,
    UnitStanding,
    overdue_window,
)
from shared.campaign.progress import evaluate_targets as _evaluate
from shared.campaign.progress import unit_standings as _standings
from shared.unit_tree import path_codes

__all__ = [
    "POPULATION_LEVELS",
    "POPULATION_VI",
    "SCORED_LEVELS",
    "TargetProgress",
    "UnitStanding",
    "ancestors",
    "evaluate_targets",
    "unit_figures",
    "unit_standings",
]


def ancestors(unit: UnitFacts) -> list[str]:
    """The codes on the unit's path, from the federation down to itself."""
    return path_codes(unit.path)


def unit_figures(campaign: Campaign, facts: PhaseFacts, today: date) -> dict[str, UnitFigures]:
    start, end = overdue_window(campaign, facts.phase_code, today)
    benefit = {key: i.version.benefit_vnd for key, i in facts.initiatives.items()}  # -1: none
    figures = {}
    for code, unit in facts.unit_facts.items():
        report = unit.result_report
        figures[code] = UnitFigures(
            code=code,
            name=unit.name,
            level=unit.level,
            path=unit.path,
            registered_movements=unit.registered_movements,
            result_figures=None if report is None else dict(report.figures),
            submitted=len(unit.initiatives_submitted),
            recognised=len(unit.initiatives_recognised),
            overdue_cases=sum(c.overdue_within(start, end, today) for c in unit.complaints),
            benefit_vnd=sum(max(benefit[i], 0) for i in unit.initiatives_submitted),
        )
    return figures


def unit_standings(
    campaign: Campaign,
    facts: PhaseFacts,
    *,
    today: date,
    members: Mapping[str, int] | None = None,
) -> Mapping[str, UnitStanding]:
    return _standings(campaign, facts.phase_code, unit_figures(campaign, facts, today), members)


def evaluate_targets(
    campaign: Campaign,
    facts: PhaseFacts,
    *,
    today: date,
    members: Mapping[str, int] | None = None,
) -> TargetProgress:
    """Where the federation stands on each target of the campaign, as of `today`."""
    figures = unit_figures(campaign, facts, today)
    return _evaluate(campaign, facts.phase_code, figures, today=today, members=members)
