"""Reporting's read models."""

from datetime import date, datetime
from uuid import UUID

from sqlalchemy import JSON, BigInteger
from sqlmodel import Field, SQLModel

from shared.db import service_registry
from shared.messaging.tables import add_messaging_tables


class ReportingTable(SQLModel, registry=service_registry()):
    pass


class UnitView(ReportingTable, table=True):
    """The union tree, for roll-ups: a unit's figures include its subtree (path prefix)."""

    __tablename__ = "units"

    code: str = Field(primary_key=True, max_length=50)
    name: str = Field(max_length=300)
    parent_code: str | None = Field(default=None, max_length=50)
    level: str = Field(max_length=20)
    path: str = Field(max_length=1000, index=True)


class InitiativeView(ReportingTable, table=True):
    """One row per initiative: counted by unit, field and month; recognised or not."""

    __tablename__ = "initiatives"

    initiative_id: UUID = Field(primary_key=True)
    campaign_code: str = Field(max_length=20, index=True)
    phase_code: str = Field(max_length=50)
    unit_code: str = Field(max_length=50, index=True)
    title: str = Field(max_length=300)
    field: str = Field(max_length=50)
    month: str = Field(max_length=7, description="yyyy-mm, in Vietnam time")
    expected_benefit_vnd: int = Field(default=0, sa_type=BigInteger)
    withdrawn: bool = False
    recognised: bool | None = None  # None until the council decides
    version_at: datetime  # the newest version applied (events may arrive out of order)


class RegistrationView(ReportingTable, table=True):
    __tablename__ = "registrations"

    registration_id: UUID = Field(primary_key=True)
    campaign_code: str = Field(max_length=20, index=True)
    phase_code: str = Field(max_length=50)
    unit_code: str = Field(max_length=50, index=True)
    movement_codes: list[str] = Field(sa_type=JSON)
    status: str = Field(max_length=20)
    status_at: datetime


class ReportView(ReportingTable, table=True):
    __tablename__ = "reports"

    campaign_code: str = Field(primary_key=True, max_length=20)
    phase_code: str = Field(primary_key=True, max_length=50)
    unit_code: str = Field(primary_key=True, max_length=50)
    kind: str = Field(primary_key=True, max_length=10)
    late: bool
    submitted_at: datetime


class ComplaintView(ReportingTable, table=True):
    __tablename__ = "complaints"

    case_id: UUID = Field(primary_key=True)
    campaign_code: str = Field(max_length=20, index=True)
    unit_code: str = Field(max_length=50, index=True)
    received_on: date
    due_on: date
    resolved_on: date | None = None


class AwardView(ReportingTable, table=True):
    __tablename__ = "awards"

    award_id: UUID = Field(primary_key=True)
    campaign_code: str = Field(max_length=20, index=True)
    phase_code: str = Field(max_length=50)
    award_type: str = Field(max_length=80)
    award_name: str = Field(max_length=300)
    level: str = Field(max_length=30)
    recipient_kind: str = Field(max_length=10)
    recipient_id: str = Field(max_length=100)
    recipient_name: str = Field(max_length=300)
    unit_code: str = Field(max_length=50)
    status: str = Field(max_length=20)  # proposed | confirmed | revoked
    status_at: datetime


metadata = ReportingTable.metadata
messaging = add_messaging_tables(metadata)
