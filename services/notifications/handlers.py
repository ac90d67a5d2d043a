"""How notifications reacts to the events it consumes."""

from datetime import UTC, datetime
from uuid import uuid4

from sqlalchemy.ext.asyncio import AsyncSession

from services.notifications.messages import initiative_received
from services.notifications.tables import InboxMessage
from shared.contracts import InitiativeSubmitted
from shared.messaging.cloudevents import Envelope


async def acknowledge_to_authors(
    event: Envelope[InitiativeSubmitted], session: AsyncSession
) -> None:
    subject, body = initiative_received(event.data)
    now = datetime.now(UTC)
    session.add_all(
        InboxMessage(
            id=uuid4(),
            event_id=event.id,
            recipient_id=author.member_id,
            subject=subject,
            body=body,
            created_at=now,
        )
        for author in event.data.authors
    )
