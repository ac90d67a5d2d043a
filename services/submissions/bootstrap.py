"""Wires submissions: its routes, its counters, and the one kind of event it consumes:
scoring's moves in an initiative's review (it owns the initiative; scoring owns the review)."""

from prometheus_client import CollectorRegistry, Counter

from services.submissions.campaigns.api import router as campaigns
from services.submissions.config import SubmissionsSettings
from services.submissions.db import idempotency_keys, messaging
from services.submissions.initiatives import handlers as initiative_handlers
from services.submissions.initiatives.api import router as initiatives
from services.submissions.portal_moved import redirects_to
from services.submissions.registrations.api import router as registrations
from services.submissions.reports.api import router as reports
from services.submissions.units.api import router as units
from shared.campaign.cache import CampaignCache
from shared.contracts import (
    InitiativeCouncilAssigned,
    InitiativeNotRecognised,
    InitiativeRecognised,
    InitiativeReturned,
)
from shared.http.idempotency import ExpiredKeysPurge
from shared.messaging.consumer import Subscription
from shared.service_app import ServiceDefinition


def define(
    settings: SubmissionsSettings | None = None, *, campaign_cache: CampaignCache | None = None
) -> ServiceDefinition:
    settings = settings or SubmissionsSettings()
    registry = CollectorRegistry()
    submitted = Counter(
        "submissions_initiatives_submitted_total",
        # By field only: units run to thousands, too many for a label (reporting has them).
        "Initiatives accepted, by field.",
        ["field"],
        registry=registry,
    )
    return ServiceDefinition(
        name="submissions",
        description="Nộp sáng kiến, đăng ký thi đua, báo cáo. Initiatives, registrations, reports.",
        settings=settings,
        messaging=messaging,
        subscriptions=[
            Subscription(contract, initiative_handlers.review_moved)
            for contract in (
                InitiativeCouncilAssigned,
                InitiativeReturned,
                InitiativeRecognised,
                InitiativeNotRecognised,
            )
        ],
        routers=[
            campaigns,
            units,
            registrations,
            initiatives,
            reports,
            redirects_to(settings.portal_url),
        ],
        registry=registry,
        workers=[ExpiredKeysPurge(idempotency_keys)],
        # Reached by the routes through `shared.http.dependencies.Campaigns`: the campaign
        # files this process validated, one per version (shared.campaign.cache).
        state={
            "initiatives_submitted": submitted,
            "campaigns": campaign_cache or CampaignCache(),
        },
    )
