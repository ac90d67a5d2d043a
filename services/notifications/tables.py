"""Notifications' own tables."""

from datetime import datetime
from uuid import UUID

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from shared.db import service_registry
from shared.messaging.tables import add_messaging_tables


class NotificationsTable(SQLModel, registry=service_registry()):
    pass


class InboxMessage(NotificationsTable, table=True):
    """One message in a person's in-app inbox (hộp thư)."""

    __tablename__ = "inbox_messages"
    # One message per event and recipient, whatever the delivery count.
    __table_args__ = (UniqueConstraint("event_id", "recipient_id"),)

    id: UUID = Field(primary_key=True)
    event_id: UUID
    recipient_id: str = Field(max_length=50, index=True)
    subject: str = Field(max_length=300)
    body: str
    created_at: datetime
    read_at: datetime | None = None


metadata = NotificationsTable.metadata
messaging = add_messaging_tables(metadata)
