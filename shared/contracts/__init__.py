"""Thi Đua's public event contracts. Consumers import these; they never copy them."""

from shared.contracts.awards import (
    AwardGranted,
    AwardRejected,
    AwardRevoked,
    AwardsAwaitingDecision,
)
from shared.contracts.base import EventData
from shared.contracts.campaigns import CampaignPublished, PhaseClosed, PhaseOpened
from shared.contracts.catalogue import CONTRACTS, EVENT_TYPES
from shared.contracts.initiatives import (
    InitiativeAmended,
    InitiativeAuthor,
    InitiativeSubmitted,
    InitiativeWithdrawn,
)
from shared.contracts.registrations import (
    Commitment,
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

__all__ = [
    "CONTRACTS",
    "EVENT_TYPES",
    "AwardGranted",
    "AwardRejected",
    "AwardRevoked",
    "AwardsAwaitingDecision",
    "CampaignPublished",
    "Commitment",
    "ComplaintCaseOpened",
    "ComplaintCaseResolved",
    "EventData",
    "InitiativeAmended",
    "InitiativeAuthor",
    "InitiativeCouncilAssigned",
    "InitiativeNotRecognised",
    "InitiativeRecognised",
    "InitiativeReturned",
    "InitiativeReviewed",
    "InitiativeSubmitted",
    "InitiativeWithdrawn",
    "PhaseClosed",
    "PhaseOpened",
    "RegistrationApproved",
    "RegistrationReturned",
    "RegistrationSubmitted",
    "ReportSubmitted",
    "StandingPublished",
    "UnitRecorded",
]
