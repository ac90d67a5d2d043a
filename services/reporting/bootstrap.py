"""Wires reporting: the events it projects (listed here, explicitly), its routes, its refresher
and the objects they share (the caches), each a default a caller may replace (a test, a
benchmark), as cosmicpython's bootstrap does."""

from prometheus_client import CollectorRegistry

from services.reporting import handlers
from services.reporting.api import router
from services.reporting.config import ReportingSettings
from services.reporting.dashboard.api import router as dashboard
from services.reporting.dashboard.page import router as dashboard_page
from services.reporting.dashboard.queries import Answers
from services.reporting.exports.api import router as exports
from services.reporting.queries import CampaignFiles
from services.reporting.service.refresher import ProgressRefresher
from services.reporting.summary.api import router as summaries
from services.reporting.tables import messaging
from shared import contracts as events
from shared.campaign.cache import CampaignCache
from shared.contracts import EventData
from shared.messaging.consumer import Subscription, batched
from shared.service_app import ServiceDefinition

# An initiative's life, from both topics: a run of these events is folded by one batch
# handler (set-based: one read, one write per table).
INITIATIVE_LIFE: tuple[type[EventData], ...] = (
    events.InitiativeSubmitted,
    events.InitiativeAmended,
    events.InitiativeWithdrawn,
    events.InitiativeCouncilAssigned,
    events.InitiativeReturned,
    events.InitiativeRecognised,
    events.InitiativeNotRecognised,
)


def define(
    settings: ReportingSettings | None = None,
    *,
    campaign_files: CampaignFiles | None = None,
    campaign_cache: CampaignCache | None = None,
    dashboard_answers: Answers | None = None,
    registry: CollectorRegistry | None = None,
) -> ServiceDefinition:
    settings = settings or ReportingSettings()
    registry = registry or CollectorRegistry()
    # The campaign files this process validated, one per version (shared.campaign.cache).
    campaigns = campaign_cache or CampaignCache()
    campaign_files = campaign_files or CampaignFiles(campaigns)
    return ServiceDefinition(
        name="reporting",
        description=(
            "Tiến độ thi đua theo chỉ tiêu, bảng xếp hạng, xuất báo cáo. Progress and reports."
        ),
        settings=settings,
        registry=registry,
        rebuildable=True,  # every table is a projection of events: `rebuild` may replay them
        messaging=messaging,
        subscriptions=[
            Subscription(events.CampaignPublished, handlers.campaign),
            *(batched(event, handlers.initiatives) for event in INITIATIVE_LIFE),
            # Read models where the newest version shows: a run is one multi-row upsert.
            batched(events.UnitRecorded, handlers.units),
            *(
                batched(event, handlers.registrations)
                for event in (
                    events.RegistrationSubmitted,
                    events.RegistrationReturned,
                    events.RegistrationApproved,
                )
            ),
            batched(events.ReportSubmitted, handlers.reports),
            Subscription(events.ComplaintCaseOpened, handlers.complaint),
            Subscription(events.ComplaintCaseResolved, handlers.complaint),
            Subscription(events.AwardGranted, handlers.award),
            Subscription(events.AwardRejected, handlers.award),
            Subscription(events.AwardRevoked, handlers.award),
            # The league of a closed phase: the standings scoring published at its close.
            batched(events.StandingPublished, handlers.standings),
        ],
        routers=[router, summaries, dashboard, dashboard_page, exports],
        # Reached by the routes through `dependencies`: made here, per service, not per module.
        state={
            "campaign_files": campaign_files,
            "campaigns": campaign_files.campaigns,
            "dashboard_answers": dashboard_answers or Answers(),
        },
        workers=[ProgressRefresher(registry, settings, campaign_files)],
    )
