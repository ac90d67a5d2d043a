"""Wires notifications: the events it reacts to (listed here, explicitly), its routes, the
delivery worker and the scheduler."""

from prometheus_client import CollectorRegistry

from services.notifications import handlers
from services.notifications.api import routers
from services.notifications.config import NotificationsSettings
from services.notifications.service.delivery import DeliveryWorker
from services.notifications.service.scheduler import Scheduler
from services.notifications.tables import messaging
from shared.clock import Clock, clock_from_environment
from shared.contracts import (
    CONTRACTS,
    AwardGranted,
    AwardRevoked,
    AwardsAwaitingDecision,
    CampaignPublished,
    InitiativeAmended,
    InitiativeCouncilAssigned,
    InitiativeNotRecognised,
    InitiativeRecognised,
    InitiativeReturned,
    InitiativeSubmitted,
    PhaseClosed,
    PhaseOpened,
    RegistrationApproved,
    RegistrationReturned,
    ReportSubmitted,
    StandingPublished,
    UnitRecorded,
)
from shared.messaging.consumer import Subscription
from shared.service_app import ServiceDefinition

# Who hears what. Every event, these and the rest, is also forwarded to subscribed systems.
REACTIONS = {
    UnitRecorded: handlers.keep_unit,
    CampaignPublished: handlers.keep_phases,
    PhaseOpened: handlers.phase_opened,
    PhaseClosed: handlers.phase_closed,
    ReportSubmitted: handlers.report_filed,
    InitiativeSubmitted: handlers.initiative_received,
    InitiativeAmended: handlers.initiative_amended,
    InitiativeCouncilAssigned: handlers.initiative_under_review,
    InitiativeReturned: handlers.initiative_decided,
    InitiativeRecognised: handlers.initiative_decided,
    InitiativeNotRecognised: handlers.initiative_decided,
    RegistrationApproved: handlers.registration_decided,
    RegistrationReturned: handlers.registration_decided,
    AwardGranted: handlers.award_changed,
    AwardRevoked: handlers.award_changed,
    AwardsAwaitingDecision: handlers.awards_awaiting,
    StandingPublished: handlers.standing_published,
}


def define(
    settings: NotificationsSettings | None = None, clock: Clock | None = None
) -> ServiceDefinition:
    """`clock`: the campaign's (default: THIDUA_CLOCK_TODAY's, or the system's). The event
    handlers are built with it, so give it here rather than replace it in the definition."""
    settings = settings or NotificationsSettings()
    clock = clock or clock_from_environment()
    registry = CollectorRegistry()
    worker = DeliveryWorker(settings, registry)
    # One batch handler for every type: a poll's run of events is applied with the lookups
    # made once for the run and its messages written together (handlers.forwarding_batch).
    batch = handlers.forwarding_batch(
        clock, {contract.event_type: REACTIONS.get(contract) for contract in CONTRACTS}
    )
    return ServiceDefinition(
        name="notifications",
        title="Thi Đua — Notifications",
        description="Thông báo cho đoàn viên, đơn vị và hệ thống khác. Inbox, email, webhooks.",
        settings=settings,
        messaging=messaging,
        subscriptions=[
            Subscription(contract, handlers.forwarding(clock, REACTIONS.get(contract)), batch)
            for contract in CONTRACTS
        ],
        routers=routers,
        registry=registry,
        workers=[worker.run, Scheduler(settings).run],
        clock=clock,
    )
