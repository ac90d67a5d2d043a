"""Registrations."""

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import JSON, UniqueConstraint
from sqlmodel import Field

from services.submissions.db import SubmissionsTable
from shared.contracts.bounds import CAMPAIGN_CODE_MAX, CODE_MAX, SUBJECT_MAX, VOCABULARY_MAX


class Registration(SubmissionsTable, table=True):
    __tablename__ = "registrations"
    # One registration per unit and phase; it is amended, not duplicated.
    __table_args__ = (UniqueConstraint("campaign_code", "phase_code", "unit_code"),)

    id: UUID = Field(primary_key=True)
    campaign_code: str = Field(max_length=CAMPAIGN_CODE_MAX)
    phase_code: str = Field(max_length=CODE_MAX)
    unit_code: str = Field(foreign_key="units.code", max_length=CODE_MAX, index=True)
    movement_codes: list[str] = Field(sa_type=JSON)
    commitments: list[dict[str, Any]] = Field(sa_type=JSON)
    status: str = Field(max_length=VOCABULARY_MAX)  # a RegistrationStatus (vocabulary)
    return_reason: str | None = None
    created_by: str = Field(max_length=SUBJECT_MAX)
    updated_by: str = Field(max_length=SUBJECT_MAX)
    created_at: datetime
    updated_at: datetime
