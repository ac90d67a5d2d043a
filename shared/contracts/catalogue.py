"""Every public event type, by its CloudEvents `type`: the one list integrators read."""

from shared.contracts import (
    awards,
    campaigns,
    initiatives,
    registrations,
    reports,
    reviews,
    standings,
    units,
)
from shared.contracts.base import EventData

CONTRACTS: tuple[type[EventData], ...] = (
    campaigns.CampaignPublished,
    campaigns.PhaseOpened,
    campaigns.PhaseClosed,
    units.UnitRecorded,
    registrations.RegistrationSubmitted,
    registrations.RegistrationReturned,
    registrations.RegistrationApproved,
    initiatives.InitiativeSubmitted,
    initiatives.InitiativeAmended,
    initiatives.InitiativeWithdrawn,
    reports.ReportSubmitted,
    reports.ComplaintCaseOpened,
    reports.ComplaintCaseResolved,
    reviews.InitiativeCouncilAssigned,
    reviews.InitiativeReviewed,
    reviews.InitiativeReturned,
    reviews.InitiativeRecognised,
    reviews.InitiativeNotRecognised,
    awards.AwardGranted,
    awards.AwardRejected,
    awards.AwardRevoked,
    awards.AwardsAwaitingDecision,
    standings.StandingPublished,
)
EVENT_TYPES: dict[str, type[EventData]] = {c.event_type: c for c in CONTRACTS}
