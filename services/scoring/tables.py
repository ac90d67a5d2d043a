"""Scoring's own tables."""

from datetime import datetime
from uuid import UUID

from sqlmodel import Field, SQLModel

from shared.db import service_registry
from shared.messaging.tables import add_messaging_tables


class ScoringTable(SQLModel, registry=service_registry()):
    pass


class ReviewItem(ScoringTable, table=True):
    """An initiative waiting for (or under) its council's review."""

    __tablename__ = "review_items"

    initiative_id: UUID = Field(primary_key=True)
    campaign_code: str = Field(max_length=20, index=True)
    unit_code: str = Field(max_length=50, index=True)
    title: str = Field(max_length=300)
    field: str = Field(max_length=50)
    status: str = Field(max_length=30, index=True)
    submitted_at: datetime
    received_at: datetime


metadata = ScoringTable.metadata
messaging = add_messaging_tables(metadata)
