"""Every public event type, by its CloudEvents `type`: the one list integrators read."""

from shared.contracts.base import EventData
from shared.contracts.initiatives import InitiativeSubmitted

EVENT_TYPES: dict[str, type[EventData]] = {
    contract.event_type: contract for contract in (InitiativeSubmitted,)
}
