"""Wires reporting: the events it projects (listed here, explicitly) and its routes."""

from prometheus_client import CollectorRegistry

from services.reporting import views
from services.reporting.api import router
from services.reporting.config import ReportingSettings
from services.reporting.dashboard_api import router as dashboard
from services.reporting.dashboard_page import router as dashboard_page
from services.reporting.exports_api import router as exports
from services.reporting.refresher import progress_refresher
from services.reporting.summary_api import router as summaries
from services.reporting.tables import messaging
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


def define(settings: ReportingSettings | None = None) -> ServiceDefinition:
    settings = settings or ReportingSettings()
    registry = CollectorRegistry()
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
            Subscription(CampaignPublished, views.campaign),
            Subscription(InitiativeSubmitted, views.initiative),
            Subscription(InitiativeAmended, views.initiative),
            Subscription(InitiativeWithdrawn, views.withdrawn),
            Subscription(InitiativeCouncilAssigned, views.reviewed),
            Subscription(InitiativeReturned, views.reviewed),
            Subscription(InitiativeRecognised, views.reviewed),
            Subscription(InitiativeNotRecognised, views.reviewed),
            Subscription(UnitRecorded, views.unit),
            Subscription(RegistrationSubmitted, views.registration),
            Subscription(RegistrationReturned, views.registration),
            Subscription(RegistrationApproved, views.registration),
            Subscription(ReportSubmitted, views.report),
            Subscription(ComplaintCaseOpened, views.complaint),
            Subscription(ComplaintCaseResolved, views.complaint),
            Subscription(AwardGranted, views.award),
            Subscription(AwardRejected, views.award),
            Subscription(AwardRevoked, views.award),
            # The league of a closed phase: the standings scoring published at its close.
            Subscription(StandingPublished, views.standing),
        ],
        routers=[router, summaries, dashboard, dashboard_page, exports],
        workers=[progress_refresher(registry, settings)],
    )
