"""Registrations."""

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import JSON, UniqueConstraint
from sqlmodel import Field

from services.submissions.db import SubmissionsTable


class Registration(SubmissionsTable, table=True):
    __tablename__ = "registrations"
    # One registration per unit and phase; it is amended, not duplicated.
    __table_args__ = (UniqueConstraint("campaign_code", "phase_code", "unit_code"),)

    id: UUID = Field(primary_key=True)
    campaign_code: str = Field(max_length=20)
    phase_code: str = Field(max_length=50)
    unit_code: str = Field(foreign_key="units.code", max_length=50, index=True)
    movement_codes: list[str] = Field(sa_type=JSON)
    commitments: list[dict[str, Any]] = Field(sa_type=JSON)
    status: str = Field(max_length=20)  # draft | submitted | returned | approved
    return_reason: str | None = None
    created_by: str = Field(max_length=100)
    updated_by: str = Field(max_length=100)
    created_at: datetime
    updated_at: datetime
