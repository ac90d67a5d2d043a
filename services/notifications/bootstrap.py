"""Wires notifications: the events it reacts to (listed here, explicitly), its routes, the
delivery worker and the scheduler."""

from prometheus_client import CollectorRegistry

from services.notifications import handlers
from services.notifications.api import routers
from services.notifications.config import NotificationsSettings
from services.notifications.service.delivery import DeliveryWorker
from services.notifications.service.scheduler import Scheduler
from services.notifications.tables import idempotency_keys, messaging
from shared import contracts as events
from shared.clock import Clock, clock_from_environment
from shared.http.idempotency import ExpiredKeysPurge
from shared.messaging.consumer import Subscription
from shared.service_app import ServiceDefinition

# Who hears what. Every event, these and the rest, is also forwarded to subscribed systems.
REACTIONS = {
    events.UnitRecorded: handlers.keep_unit,
    events.CampaignPublished: handlers.keep_phases,
    events.PhaseOpened: handlers.phase_opened,
    events.PhaseClosed: handlers.phase_closed,
    events.ReportSubmitted: handlers.report_filed,
    events.InitiativeSubmitted: handlers.initiative_received,
    events.InitiativeAmended: handlers.initiative_amended,
    events.InitiativeWithdrawn: handlers.initiative_withdrawn,
    events.InitiativeCouncilAssigned: handlers.initiative_under_review,
    events.InitiativeReturned: handlers.initiative_decided,
    events.InitiativeRecognised: handlers.initiative_decided,
    events.InitiativeNotRecognised: handlers.initiative_decided,
    events.RegistrationApproved: handlers.registration_decided,
    events.RegistrationReturned: handlers.registration_decided,
    events.AwardGranted: handlers.award_changed,
    events.AwardRevoked: handlers.award_changed,
    events.AwardsAwaitingDecision: handlers.awards_awaiting,
    events.StandingPublished: handlers.standing_published,
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
        clock, {contract.event_type: REACTIONS.get(contract) for contract in events.CONTRACTS}
    )
    return ServiceDefinition(
        name="notifications",
        description="Thông báo cho đoàn viên, đơn vị và hệ thống khác. Inbox, email, webhooks.",
        settings=settings,
        messaging=messaging,
        subscriptions=[
            Subscription(contract, handlers.forwarding(clock, REACTIONS.get(contract)), batch)
            for contract in events.CONTRACTS
        ],
        routers=routers,
        registry=registry,
        workers=[worker.run, Scheduler(settings).run, ExpiredKeysPurge(idempotency_keys)],
        clock=clock,
    )
