"""Webhook subscribers as notifications keeps them, for the tests and benchmarks that write them
straight into its database instead of registering them through the admin's API."""

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID, uuid4

from services.notifications.tables import WebhookSubscriber


def webhook_subscriber(
    name: str,
    url: str,
    secret: str,
    created_at: datetime,
    event_types: Sequence[str] = (),
    id_: UUID | None = None,
) -> WebhookSubscriber:
    """A subscriber signing with one secret, sent every event type unless some are named."""
    return WebhookSubscriber(
        id=id_ or uuid4(),
        name=name,
        url=url,
        secrets=[secret],
        event_types=list(event_types),
        created_at=created_at,
    )
