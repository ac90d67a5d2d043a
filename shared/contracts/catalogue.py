"""Every public event type, by its CloudEvents `type`: the one list integrators read."""

from shared.contracts.awards import (
    AwardGranted,
    AwardRejected,
    AwardRevoked,
    AwardsAwaitingDecision,
)
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
    InitiativeCouncilAssigned,
    InitiativeNotRecognised,
    InitiativeRecognised,
    InitiativeReturned,
    InitiativeReviewed,
)
from shared.contracts.standings import StandingPublished
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
    AwardRejected,
    AwardRevoked,
    AwardsAwaitingDecision,
    StandingPublished,
)
EVENT_TYPES: dict[str, type[EventData]] = {c.event_type: c for c in CONTRACTS}
