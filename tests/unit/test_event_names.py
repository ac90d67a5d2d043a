"""Each event names its own CloudEvents `type` once, in its class line, under the one prefix."""

import pytest

from shared.contracts import CONTRACTS, EVENT_TYPES
from shared.contracts.base import EVENT_TYPE_PREFIX, EventData


def test_every_contract_has_a_type_of_its_own() -> None:
    # A contract that forgot `name=` would inherit its base's type (InitiativeAmended extends
    # InitiativeSubmitted) and shadow it in the catalogue.
    assert len(EVENT_TYPES) == len(CONTRACTS)


@pytest.mark.parametrize("contract", CONTRACTS, ids=lambda c: c.__name__)
def test_a_type_is_the_prefix_a_name_and_a_major_version(contract: type[EventData]) -> None:
    name = contract.event_type.removeprefix(EVENT_TYPE_PREFIX)
    assert contract.event_type == EVENT_TYPE_PREFIX + name != name
    assert name.rsplit(".", 1)[1] == "v1"
    assert contract.topic.startswith("thidua.")


def test_a_class_line_names_the_type_and_the_topic() -> None:
    class Probe(EventData, name="probe.tested.v1", topic="thidua.probes.v1"):
        pass

    class Again(Probe, name="probe.again.v1"):
        pass

    assert (Probe.event_type, Probe.topic) == (
        f"{EVENT_TYPE_PREFIX}probe.tested.v1",
        "thidua.probes.v1",
    )
    assert (Again.event_type, Again.topic) == (f"{EVENT_TYPE_PREFIX}probe.again.v1", Probe.topic)
