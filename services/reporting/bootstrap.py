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
from shared.campaign.cache import CampaignCache
from shared.contracts import (
    AwardGranted,
    AwardRejected,
    AwardRevoked,
    CampaignPublished,
    ComplaintCaseOpened,
    ComplaintCaseResolved,
    InitiativeAmended,
    InitiativeCouncilAssigned,
    InitiativeNotRecognised,
    InitiativeRecognised,
    InitiativeReturned,
    InitiativeSubmitted,
    InitiativeWithdrawn,
    RegistrationApproved,
    RegistrationReturned,
    RegistrationSubmitted,
    ReportSubmitted,
    StandingPublished,
    UnitRecorded,
)
from shared.messaging.consumer import Subscription
from shared.service_app import ServiceDefinition


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
        title="Thi Đua — Reporting",
        description=(
            "Tiến độ thi đua theo chỉ tiêu, bảng xếp hạng, xuất báo cáo. Progress and reports."
        ),
        settings=settings,
        registry=registry,
        rebuildable=True,  # every table is a projection of events: `rebuild` may replay them
        messaging=messaging,
        subscriptions=[
            Subscription(CampaignPublished, handlers.campaign),
            # An initiative's life, from both topics: a run of these events is folded by one
            # batch handler (set-based: one read, one write per counter table).
            Subscription(InitiativeSubmitted, handlers.initiative, batch=handlers.initiatives),
            Subscription(InitiativeAmended, handlers.initiative, batch=handlers.initiatives),
            Subscription(InitiativeWithdrawn, handlers.withdrawn, batch=handlers.initiatives),
            Subscription(InitiativeCouncilAssigned, handlers.reviewed, batch=handlers.initiatives),
            Subscription(InitiativeReturned, handlers.reviewed, batch=handlers.initiatives),
            Subscription(InitiativeRecognised, handlers.reviewed, batch=handlers.initiatives),
            Subscription(InitiativeNotRecognised, handlers.reviewed, batch=handlers.initiatives),
            Subscription(UnitRecorded, handlers.unit),
            Subscription(RegistrationSubmitted, handlers.registration),
            Subscription(RegistrationReturned, handlers.registration),
            Subscription(RegistrationApproved, handlers.registration),
            Subscription(ReportSubmitted, handlers.report),
            Subscription(ComplaintCaseOpened, handlers.complaint),
            Subscription(ComplaintCaseResolved, handlers.complaint),
            Subscription(AwardGranted, handlers.award),
            Subscription(AwardRejected, handlers.award),
            Subscription(AwardRevoked, handlers.award),
            # The league of a closed phase: the standings scoring published at its close.
            Subscription(StandingPublished, handlers.standing),
        ],
        routers=[router, summaries, dashboard, dashboard_page, exports],
        # Reached by the routes through `dependencies`: made here, per service, not per module.
        state={
            "campaign_files": campaign_files,
            "campaigns": campaign_files.campaigns,
            "dashboard_answers": dashboard_answers or Answers(),
        },
        workers=[ProgressRefresher(registry, settings)],
    )
