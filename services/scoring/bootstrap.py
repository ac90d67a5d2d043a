"""Wires scoring: the events it applies (listed here, explicitly), its routes, and what its
handlers are given (the outbox), each a default a caller may replace."""

from functools import partial

from services.scoring import handlers
from services.scoring.api.awards import router as awards
from services.scoring.api.reviews import router
from services.scoring.config import ScoringSettings
from services.scoring.decision.api import router as decision
from services.scoring.service import awarding
from services.scoring.tables import messaging
from shared import contracts as events
from shared.campaign.cache import CampaignCache
from shared.clock import Clock, clock_from_environment
from shared.contracts import EventData
from shared.messaging.consumer import Handler, Subscription
from shared.messaging.outbox import Outbox
from shared.service_app import ServiceDefinition

# Events kept only as facts for the targets and awards.
FACTS = (
    events.UnitRecorded,
    # Scoring's own decisions: recorded when made, and read back from the topic so that a
    # rebuild from the topics has them too (the same event id is kept once).
    events.InitiativeRecognised,
    events.InitiativeNotRecognised,
    events.InitiativeReturned,
    events.RegistrationApproved,
    events.ReportSubmitted,
    events.ComplaintCaseOpened,
    events.ComplaintCaseResolved,
)


def _fact(contract: type[EventData], handler: Handler = handlers.remember) -> Subscription:
    """An event scoring keeps as a fact: a run of consecutive facts, whatever their types, is
    applied by one batch handler (handlers.apply_batch: set-based, the same result)."""
    return Subscription(contract, handler, batch=handlers.apply_batch)


def define(
    settings: ScoringSettings | None = None,
    outbox: Outbox | None = None,
    *,
    campaign_cache: CampaignCache | None = None,
    clock: Clock | None = None,
) -> ServiceDefinition:
    # The consumer's events go out through the same outbox table as the routes' (the relay
    # polls it; the routes' outbox also wakes it at commit).
    outbox = outbox or Outbox(messaging.outbox)
    # The campaign files this process validated (shared.campaign.cache): the council's acts,
    # the close and the routes (`shared.http.dependencies.Campaigns`) share it.
    campaigns = campaign_cache or CampaignCache()
    # What time it is in the campaign, for the routes and the consumer alike (shared.clock).
    clock = clock or clock_from_environment()
    return ServiceDefinition(
        name="scoring",
        description="Chấm điểm sáng kiến, điểm thi đua, khen thưởng. Councils, scores, awards.",
        settings=settings or ScoringSettings(),
        messaging=messaging,
        subscriptions=[
            Subscription(events.CampaignPublished, handlers.keep_campaign),
            _fact(events.InitiativeSubmitted, handlers.remembering(handlers.queue_for_review)),
            _fact(events.InitiativeAmended, handlers.remembering(handlers.queue_for_review)),
            _fact(events.InitiativeWithdrawn, handlers.remembering(handlers.withdraw)),
            # What the targets and awards are computed from.
            *(_fact(c) for c in FACTS),
            Subscription(
                events.PhaseClosed,
                partial(handlers.phase_closed, outbox=outbox, clock=clock, campaigns=campaigns),
            ),
        ],
        routers=[router, awards, decision],
        # Closed phases that a batch's late facts made stale, computed once per batch.
        before_commit=partial(
            awarding.recompute_stale, outbox=outbox, campaigns=campaigns, clock=clock
        ),
        clock=clock,
        state={"campaigns": campaigns},
    )
