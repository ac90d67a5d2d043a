"""Every public event type, by its CloudEvents `type`: the one list integrators read."""

from shared.contracts.base import EventData
from shared.contracts.campaigns import CampaignPublished, PhaseClosed, PhaseOpened
from shared.contracts.initiatives import InitiativeAmended, InitiativeSubmitted, InitiativeWithdrawn
from shared.contracts.registrations import (
    RegistrationApproved,
    RegistrationReturned,
    RegistrationSubmitted,
)
from shared.contracts.reports import ComplaintCaseOpened, ComplaintCaseResolved, ReportSubmitted
from shared.contracts.reviews import (
    AwardGranted,
    AwardRevoked,
    InitiativeCouncilAssigned,
    InitiativeNotRecognised,
    InitiativeRecognised,
    InitiativeReturned,
    InitiativeReviewed,
)
from shared.contracts.units import UnitRecorded

CONTRACTS: tuple[type[EventData], ...] = (
    CampaignPublished,
    PhaseOpened,
    PhaseClosed,
    UnitRecorded,
    RegistrationSubmitted,
    RegistrationReturned,
    RegistrationApproved,
    InitiativeSubmitted,
    InitiativeAmended,
    InitiativeWithdrawn,
    ReportSubmitted,
    ComplaintCaseOpened,
    ComplaintCaseResolved,
    InitiativeCouncilAssigned,
    InitiativeReviewed,
    InitiativeReturned,
    InitiativeRecognised,
    InitiativeNotRecognised,
    AwardGranted,
    AwardRevoked,
)
EVENT_TYPES: dict[str, type[EventData]] = {c.event_type: c for c in CONTRACTS}
