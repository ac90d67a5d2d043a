from pathlib import Path

import pytest

from services.notifications.domain.rules import load_rules
from shared.contracts import EVENT_TYPES
from shared.contracts.base import EVENT_TYPE_PREFIX as PREFIX
from shared.data_files import DataFileError
from tests.unit.event_examples import granted
from tests.unit.event_examples import revoked as revoked_award


def test_every_event_type_starts_with_the_one_prefix() -> None:
    assert all(event_type.startswith(PREFIX) for event_type in EVENT_TYPES)


def test_every_rule_names_a_published_event_and_a_known_template() -> None:
    rules = load_rules().rules
    assert rules
    assert all(PREFIX + rule.event in EVENT_TYPES for rule in rules)


def test_an_award_tells_its_recipient_and_the_units_officers() -> None:
    [rule] = load_rules().for_event(PREFIX + "award.granted.v1")
    assert rule.template == "award_granted"
    assert {a.value for a in rule.audience} == {"recipient", "unit_officers"}


def test_a_proposal_tells_no_recipient_and_a_confirmed_award_does() -> None:
    rules = load_rules()

    event = PREFIX + "award.granted.v1"
    assert rules.for_event(event, granted("proposed")) == []
    assert [r.template for r in rules.for_event(event, granted("confirmed"))] == ["award_granted"]
    revoked = PREFIX + "award.revoked.v1"
    withdrawn = revoked_award(status="withdrawn")
    assert rules.for_event(revoked, withdrawn) == []
    assert rules.for_event(revoked, withdrawn.model_copy(update={"status": "revoked"}))
    assert rules.for_event(PREFIX + "award.rejected.v1") == []
    [admins] = rules.for_event(PREFIX + "awards.awaiting_decision.v1")
    assert [a.value for a in admins.audience] == ["federation_admins"]


def test_a_phase_close_is_told_with_the_standing_scoring_published() -> None:
    rules = load_rules()
    assert rules.for_event(PREFIX + "phase.closed.v1") == []
    [rule] = rules.for_event(PREFIX + "standing.published.v1")
    assert (rule.template, [a.value for a in rule.audience]) == ("phase_closed", ["unit_officers"])


def test_a_rules_file_with_an_unknown_template_or_audience_is_refused(tmp_path: Path) -> None:
    for bad in (
        "rules: [{event: phase.closed.v1, template: no_such, audience: [unit_officers]}]",
        "rules: [{event: phase.closed.v1, template: phase_closed, audience: [everyone]}]",
    ):
        path = tmp_path / "rules.yaml"
        path.write_text(bad)
        with pytest.raises(DataFileError, match=r"rules\.yaml"):  # the file named
            load_rules.__wrapped__(path)
