"""A council's decision, as scoring's facts keep it, has for its outcome the status the shared
life gives its event (shared.contracts.lifecycle.life_after): one word for one outcome."""

import pytest

from services.scoring.domain.facts import PhaseFacts
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
