"""Contracts of the reports topic: plans and results units send up, and complaint cases."""

from datetime import date, datetime
from typing import ClassVar
from uuid import UUID

from pydantic import Field

from shared.contracts import topics
from shared.contracts.base import EventData


class ReportSubmitted(EventData):
    """A unit's plan or results for a phase (kế hoạch / báo cáo sơ kết, tổng kết)."""

    event_type: ClassVar[str] = "vn.congdoandaukhi.thidua.report.submitted.v1"
    topic: ClassVar[str] = topics.REPORTS

    report_id: UUID
    campaign_code: str
    phase_code: str
    unit_code: str
    kind: str = Field(description="plan | result")
    figures: dict[str, float] = Field(
        description="Figures the targets' indicators read, by the indicator's `figure` name."
    )
    due_on: date | None
    submitted_at: datetime
    late: bool
    submitted_by: str


class ComplaintCaseOpened(EventData):
    """A complaint or denunciation (đơn thư khiếu nại, tố cáo) a unit must settle in time."""

    event_type: ClassVar[str] = "vn.congdoandaukhi.thidua.complaint.opened.v1"
    topic: ClassVar[str] = topics.REPORTS

    case_id: UUID
    campaign_code: str
    unit_code: str
    received_on: date
    due_on: date
    recorded_by: str


class ComplaintCaseResolved(EventData):
    event_type: ClassVar[str] = "vn.congdoandaukhi.thidua.complaint.resolved.v1"
    topic: ClassVar[str] = topics.REPORTS

    case_id: UUID
    campaign_code: str
    unit_code: str
    received_on: date
    due_on: date
    resolved_on: date
    recorded_by: str
