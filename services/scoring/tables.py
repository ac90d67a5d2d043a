"""Scoring's own tables."""

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import JSON
from sqlmodel import Field, SQLModel

from shared.db import service_registry
from shared.messaging.tables import add_messaging_tables


class ScoringTable(SQLModel, registry=service_registry()):
    pass


class CampaignCopy(ScoringTable, table=True):
    """The campaign file as published: review criteria, targets and award rules."""

    __tablename__ = "campaigns"

    code: str = Field(primary_key=True, max_length=20)
    definition: dict[str, Any] = Field(sa_type=JSON)


class ReviewRecord(ScoringTable, table=True):
    """An initiative under review: what listing and `pending` need; the review itself is
    rebuilt from its actions."""

    __tablename__ = "reviews"

    initiative_id: UUID = Field(primary_key=True)
    campaign_code: str = Field(max_length=20, index=True)
    phase_code: str = Field(max_length=50)
    unit_code: str = Field(max_length=50, index=True)
    title: str = Field(max_length=300)
    field: str = Field(max_length=50)
    author_ids: list[str] = Field(sa_type=JSON)
    confidential: bool = False
    # awaiting_council | under_review | recognised | not_recognised | returned | withdrawn
    status: str = Field(max_length=30, index=True)
    council: list[str] = Field(sa_type=JSON)
    scored_by: list[str] = Field(sa_type=JSON)
    submitted_at: datetime
    updated_at: datetime


class ReviewAction(ScoringTable, table=True):
    """Every act on a review, in order: assign, score, return. Replaying them through the
    council domain gives the review's state (and its decision) exactly."""

    __tablename__ = "review_actions"

    id: int | None = Field(default=None, primary_key=True)
    initiative_id: UUID = Field(index=True)
    kind: str = Field(max_length=20)
    actor: str = Field(max_length=100)
    payload: dict[str, Any] = Field(sa_type=JSON)
    at: datetime


metadata = ScoringTable.metadata
messaging = add_messaging_tables(metadata)
