from pathlib import Path

import pytest
from pydantic import ValidationError

from services.notifications.rules import PREFIX, load_rules
from shared.contracts import EVENT_TYPES


def test_every_rule_names_a_published_event_and_a_known_template() -> None:
    rules = load_rules().rules
    assert rules
    assert all(PREFIX + rule.event in EVENT_TYPES for rule in rules)


def test_an_award_tells_its_recipient_and_the_units_officers() -> None:
    [rule] = load_rules().for_event(PREFIX + "award.granted.v1")
    assert rule.template == "award_granted"
    assert {a.value for a in rule.audience} == {"recipient", "unit_officers"}


def test_a_rules_file_with_an_unknown_template_or_audience_is_refused(tmp_path: Path) -> None:
    for bad in (
        "rules: [{event: phase.closed.v1, template: no_such, audience: [unit_officers]}]",
        "rules: [{event: phase.closed.v1, template: phase_closed, audience: [everyone]}]",
    ):
        path = tmp_path / "rules.yaml"
        path.write_text(bad)
        with pytest.raises(ValidationError):
            load_rules.__wrapped__(path)
