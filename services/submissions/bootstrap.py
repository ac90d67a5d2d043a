"""Wires submissions: its tables, routes, counters and (so far) no subscriptions."""

from prometheus_client import CollectorRegistry, Counter

from services.submissions.config import SubmissionsSettings
from services.submissions.db import messaging
from services.submissions.initiatives.api import router
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
        routers=[router],
        registry=registry,
        state={"initiatives_submitted": submitted},
    )
