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
    unit_code: str = Field(max_length=50, index=True)
    title: str = Field(max_length=300)
    field: str = Field(max_length=50)
    problem: str
    solution: str
    first_applied_on: date | None = None
    expected_benefit_vnd: int | None = Field(default=None, sa_type=BigInteger)
    status: str = Field(max_length=20)
    submitted_by: str = Field(max_length=100)
    submitted_at: datetime


class InitiativeAuthor(SubmissionsTable, table=True):
    __tablename__ = "initiative_authors"

    initiative_id: UUID = Field(primary_key=True, foreign_key="initiatives.id")
    member_id: str = Field(primary_key=True, max_length=50, index=True)
    full_name: str = Field(max_length=200)
    share_percent: int
