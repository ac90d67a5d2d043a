"""Wires scoring: the events it applies (listed here, explicitly) and its routes."""

from services.scoring.api import router
from services.scoring.config import ScoringSettings
from services.scoring.handlers import queue_for_review
from services.scoring.tables import messaging
from shared.contracts import InitiativeSubmitted
from shared.messaging.consumer import Subscription
from shared.service_app import ServiceDefinition


def define(settings: ScoringSettings | None = None) -> ServiceDefinition:
    return ServiceDefinition(
        name="scoring",
        title="Thi Đua — Scoring",
        description="Chấm điểm sáng kiến, điểm thi đua, khen thưởng. Councils, scores, awards.",
        settings=settings or ScoringSettings(),
        messaging=messaging,
        subscriptions=[Subscription(InitiativeSubmitted, queue_for_review)],
        routers=[router],
    )
