"""Thi Đua's public event contracts. Consumers import these; they never copy them."""

from shared.contracts.base import EventData
from shared.contracts.catalogue import EVENT_TYPES
from shared.contracts.initiatives import InitiativeAuthor, InitiativeSubmitted

__all__ = ["EVENT_TYPES", "EventData", "InitiativeAuthor", "InitiativeSubmitted"]
