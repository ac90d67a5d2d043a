"""HTTP API of notifications: a person's in-app inbox."""

from datetime import datetime
from uuid import UUID

from fastapi import APIRouter, Query
from pydantic import BaseModel
from sqlmodel import col, select

from services.notifications.tables import InboxMessage
from shared.formatting import format_date
from shared.http.dependencies import DbSession

router = APIRouter(prefix="/api/v1", tags=["inbox"])


class InboxMessagePublic(BaseModel):
    id: UUID
    subject: str
    body: str
    created_at: datetime
    created_on_display: str
    read: bool


@router.get("/inbox/{recipient_id}", response_model=list[InboxMessagePublic])
async def inbox(
    recipient_id: str,
    session: DbSession,
    unread_only: bool = False,
    limit: int = Query(default=50, ge=1, le=500),
    offset: int = Query(default=0, ge=0),
) -> list[InboxMessagePublic]:
    """Hộp thư: a person's messages, newest first."""
    query = select(InboxMessage).where(InboxMessage.recipient_id == recipient_id)
    if unread_only:
        query = query.where(col(InboxMessage.read_at).is_(None))
    query = query.order_by(col(InboxMessage.created_at).desc()).offset(offset).limit(limit)
    return [
        InboxMessagePublic(
            id=message.id,
            subject=message.subject,
            body=message.body,
            created_at=message.created_at,
            created_on_display=format_date(message.created_at),
            read=message.read_at is not None,
        )
        for message in (await session.exec(query)).all()
    ]
