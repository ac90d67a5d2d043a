"""Wires notifications: the events it reacts to (listed here, explicitly) and its routes."""

from services.notifications.api import router
from services.notifications.config import NotificationsSettings
from services.notifications.handlers import acknowledge_to_authors
from services.notifications.tables import messaging
from shared.contracts import InitiativeSubmitted
from shared.messaging.consumer import Subscription
from shared.service_app import ServiceDefinition


def define(settings: NotificationsSettings | None = None) -> ServiceDefinition:
    return ServiceDefinition(
        name="notifications",
        title="Thi Đua — Notifications",
        description="Thông báo cho đoàn viên, đơn vị và hệ thống khác. Inbox, email, webhooks.",
        settings=settings or NotificationsSettings(),
        messaging=messaging,
        subscriptions=[Subscription(InitiativeSubmitted, acknowledge_to_authors)],
        routers=[router],
    )
