"""Wires submissions: its tables, routes and (so far) no subscriptions."""

from services.submissions.api import router
from services.submissions.config import SubmissionsSettings
from services.submissions.tables import messaging
from shared.service_app import ServiceDefinition


def define(settings: SubmissionsSettings | None = None) -> ServiceDefinition:
    return ServiceDefinition(
        name="submissions",
        title="Thi Đua — Submissions",
        description="Nộp sáng kiến, đăng ký thi đua, báo cáo. Initiatives, registrations, reports.",
        settings=settings or SubmissionsSettings(),
        messaging=messaging,
        routers=[router],
    )
