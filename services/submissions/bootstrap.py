"""Wires submissions: its routes and counters. It consumes no events: it is where they start."""

from prometheus_client import CollectorRegistry, Counter

from services.submissions.campaigns.api import router as campaigns
from services.submissions.config import SubmissionsSettings
from services.submissions.db import messaging
from services.submissions.initiatives.api import router as initiatives
from services.submissions.portal import router as portal
from services.submissions.registrations.api import router as registrations
from services.submissions.reports.api import router as reports
from services.submissions.units.api import router as units
from shared.service_app import ServiceDefinition


def define(settings: SubmissionsSettings | None = None) -> ServiceDefinition:
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
        title="Thi Đua — Submissions",
        description="Nộp sáng kiến, đăng ký thi đua, báo cáo. Initiatives, registrations, reports.",
        settings=settings or SubmissionsSettings(),
        messaging=messaging,
        routers=[campaigns, units, registrations, initiatives, reports, portal],
        registry=registry,
        state={"initiatives_submitted": submitted},
    )
