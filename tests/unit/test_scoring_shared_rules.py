"""Scoring's facts say what the shared rules say: a council decision's outcome is the status
the shared life gives its event (shared.contracts.lifecycle.life_after), and a phase's facts
hold the phases to date the targets count (shared.campaign.progress.phases_to_date)."""

import pytest

from services.reporting.queries import phases_to_date as reporting_phases
from services.scoring.domain.facts import PhaseFacts
from services.submissions.demo import CAMPAIGN
from shared.campaign.loader import load_campaign
from shared.campaign.progress import phases_to_date
from shared.contracts import InitiativeNotRecognised, InitiativeRecognised, InitiativeReturned
from shared.contracts.base import EventData
from shared.contracts.lifecycle import life_after
from tests.unit.event_examples import PLACE, decision


@pytest.mark.parametrize(
    "contract", [InitiativeReturned, InitiativeNotRecognised, InitiativeRecognised]
)
def test_a_decision_s_outcome_is_the_status_its_event_leaves(contract: type[EventData]) -> None:
    event = decision(contract)
    facts = PhaseFacts(PLACE["campaign_code"], PLACE["phase_code"], frozenset({"dot-1"}))
    (kept,) = facts.apply(event).decisions
    life = life_after(event)
    assert life is not None
    assert kept.outcome is life.status


def test_scoring_and_reporting_count_the_same_phases_to_date() -> None:
    # The targets are yearly: a phase's facts and figures hold it and the phases before it.
    campaign = load_campaign(CAMPAIGN)
    assert phases_to_date(campaign, "dot-1") == ["dot-1"]
    assert phases_to_date(campaign, "dot-2") == ["dot-1", "dot-2"]
    for phase in campaign.phases:
        facts = PhaseFacts.start(campaign, phase.code)
        assert facts.phases_to_date == set(phases_to_date(campaign, phase.code))
        assert set(reporting_phases(campaign, phase.code)) == facts.phases_to_date
