"""Wires reporting: the events it projects (listed here, explicitly) and its routes."""

from services.reporting.api import router
from services.reporting.config import ReportingSettings
from services.reporting.handlers import count_submission
from services.reporting.tables import messaging
from shared.contracts import InitiativeSubmitted
from shared.messaging.consumer import Subscription
from shared.service_app import ServiceDefinition


def define(settings: ReportingSettings | None = None) -> ServiceDefinition:
    return ServiceDefinition(
        name="reporting",
        title="Thi Đua — Reporting",
        description=(
            "Tiến độ thi đua theo chỉ tiêu, bảng xếp hạng, xuất báo cáo. Progress and reports."
        ),
        settings=settings or ReportingSettings(),
        messaging=messaging,
        subscriptions=[Subscription(InitiativeSubmitted, count_submission)],
        routers=[router],
    )
