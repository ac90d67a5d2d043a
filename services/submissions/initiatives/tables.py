"""Initiative tables."""

from datetime import date, datetime
from uuid import UUID

from sqlalchemy import BigInteger
from sqlmodel import Field

from services.submissions.db import SubmissionsTable


class Initiative(SubmissionsTable, table=True):
    __tablename__ = "initiatives"

    id: UUID = Field(primary_key=True)
    campaign_code: str = Field(max_length=20, index=True)
    phase_code: str = Field(max_length=50)
    unit_code: str = Field(foreign_key="units.code", max_length=50, index=True)
    title: str = Field(max_length=300)
    field: str = Field(max_length=50)
    problem: str
    solution: str
    novelty: str | None = None
    first_applied_on: date | None = None
    expected_benefit_vnd: int | None = Field(default=None, sa_type=BigInteger)
    measured_benefit_vnd: int | None = Field(default=None, sa_type=BigInteger)
    other_benefits: str | None = None
    confidential: bool = False
    status: str = Field(max_length=20)  # submitted | withdrawn
    submitted_by: str = Field(max_length=100)
    submitted_at: datetime
    updated_at: datetime


class InitiativeAuthor(SubmissionsTable, table=True):
    __tablename__ = "initiative_authors"

    initiative_id: UUID = Field(primary_key=True, foreign_key="initiatives.id")
    member_id: str = Field(primary_key=True, max_length=50, index=True)
    full_name: str = Field(max_length=200)
    share_percent: int


class Attachment(SubmissionsTable, table=True):
    """A file kept on disk (or object storage) beside the initiative; the row is its index."""

    __tablename__ = "initiative_attachments"

    id: UUID = Field(primary_key=True)
    initiative_id: UUID = Field(foreign_key="initiatives.id", index=True)
    filename: str = Field(max_length=255)
    content_type: str = Field(max_length=100)
    size_bytes: int
    sha256: str = Field(max_length=64)
    storage_key: str = Field(max_length=500)
    uploaded_by: str = Field(max_length=100)
    uploaded_at: datetime
