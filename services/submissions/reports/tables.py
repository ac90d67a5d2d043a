"""Reports and complaint cases."""

from datetime import date, datetime
from uuid import UUID

from sqlalchemy import JSON, UniqueConstraint
from sqlmodel import Field

from services.submissions.db import SubmissionsTable
from shared.contracts.bounds import CAMPAIGN_CODE_MAX, CODE_MAX, SUBJECT_MAX, VOCABULARY_MAX


class Report(SubmissionsTable, table=True):
    __tablename__ = "reports"
    # A unit files one plan and one result per phase; filing again replaces it (and
    # publishes again), which is how a correction is made.
    __table_args__ = (UniqueConstraint("campaign_code", "phase_code", "unit_code", "kind"),)

    id: UUID = Field(primary_key=True)
    campaign_code: str = Field(max_length=CAMPAIGN_CODE_MAX)
    phase_code: str = Field(max_length=CODE_MAX)
    unit_code: str = Field(foreign_key="units.code", max_length=CODE_MAX, index=True)
    kind: str = Field(max_length=VOCABULARY_MAX)  # plan | result
    figures: dict[str, float] = Field(sa_type=JSON)
    summary: str
    due_on: date | None = None
    submitted_at: datetime  # when it was recorded
    filed_on: date  # the campaign day the unit filed it: `late` compares it with `due_on`
    late: bool
    submitted_by: str = Field(max_length=SUBJECT_MAX)


class ComplaintCase(SubmissionsTable, table=True):
    __tablename__ = "complaint_cases"

    id: UUID = Field(primary_key=True)
    campaign_code: str = Field(max_length=CAMPAIGN_CODE_MAX)
    unit_code: str = Field(foreign_key="units.code", max_length=CODE_MAX, index=True)
    summary: str
    received_on: date
    due_on: date
    resolved_on: date | None = None
    recorded_by: str = Field(max_length=SUBJECT_MAX)
