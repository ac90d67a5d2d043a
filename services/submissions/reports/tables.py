"""Reports and complaint cases."""

from datetime import date, datetime
from uuid import UUID

from sqlalchemy import JSON, UniqueConstraint
from sqlmodel import Field

from services.submissions.db import SubmissionsTable


class Report(SubmissionsTable, table=True):
    __tablename__ = "reports"
    # A unit files one plan and one result per phase; filing again replaces it (and
    # publishes again), which is how a correction is made.
    __table_args__ = (UniqueConstraint("campaign_code", "phase_code", "unit_code", "kind"),)

    id: UUID = Field(primary_key=True)
    campaign_code: str = Field(max_length=20)
    phase_code: str = Field(max_length=50)
    unit_code: str = Field(foreign_key="units.code", max_length=50, index=True)
    kind: str = Field(max_length=10)  # plan | result
    figures: dict[str, float] = Field(sa_type=JSON)
    summary: str
    due_on: date | None = None
    submitted_at: datetime  # when it was recorded
    filed_on: date  # the campaign day the unit filed it: `late` compares it with `due_on`
    late: bool
    submitted_by: str = Field(max_length=100)


class ComplaintCase(SubmissionsTable, table=True):
    __tablename__ = "complaint_cases"

    id: UUID = Field(primary_key=True)
    campaign_code: str = Field(max_length=20)
    unit_code: str = Field(foreign_key="units.code", max_length=50, index=True)
    summary: str
    received_on: date
    due_on: date
    resolved_on: date | None = None
    recorded_by: str = Field(max_length=100)
