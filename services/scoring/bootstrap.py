"""Wires scoring: the events it applies (listed here, explicitly) and its routes."""

from services.scoring import handlers
from services.scoring.api import router
from services.scoring.config import ScoringSettings
from services.scoring.tables import messaging
from shared.contracts import (
    CampaignPublished,
    InitiativeAmended,
    InitiativeSubmitted,
    InitiativeWithdrawn,
)
from shared.messaging.consumer import Subscription
from shared.service_app import ServiceDefinition


def define(settings: ScoringSettings | None = None) -> ServiceDefinition:
    return ServiceDefinition(
        name="scoring",
        title="Thi Đua — Scoring",
        description="Chấm điểm sáng kiến, điểm thi đua, khen thưởng. Councils, scores, awards.",
        settings=settings or ScoringSettings(),
        messaging=messaging,
        subscriptions=[
            Subscription(CampaignPublished, handlers.keep_campaign),
            Subscription(InitiativeSubmitted, handlers.queue_for_review),
            Subscription(InitiativeAmended, handlers.queue_for_review),
            Subscription(InitiativeWithdrawn, handlers.withdraw),
        ],
        routers=[router],
    )
