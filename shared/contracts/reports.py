"""Contracts of the reports topic: plans and results units send up, and complaint cases."""

from datetime import date, datetime
from typing import Literal
from uuid import UUID

from pydantic import Field

from shared.contracts import topics
from shared.contracts.base import EventData
from shared.contracts.bounds import FIGURES_MAX, CampaignCode, Code, Finite, Subject
from shared.contracts.campaign_day import campaign_day


class ReportSubmitted(EventData, name="report.submitted.v1", topic=topics.REPORTS):
    """A unit's plan or results for a phase (kế hoạch / báo cáo sơ kết, tổng kết)."""

    report_id: UUID
    campaign_code: CampaignCode
    phase_code: Code
    unit_code: Code
    kind: Literal["plan", "result"] = Field(description="The campaign file's ReportKind.")
    figures: dict[Code, Finite] = Field(
        max_length=FIGURES_MAX,
        description="Figures the targets' indicators read, by the indicator's `figure` name.",
    )
    due_on: date | None
    submitted_at: datetime = Field(
        description="When submissions recorded it (UTC, on the campaign's clock)."
    )
    late: bool = Field(description="Filed after the day it was due (`filed_on` > `due_on`).")
    submitted_by: Subject
    filed_on: date | None = Field(
        default=None,
        description="Ngày nộp: the campaign day the unit filed it (a paper report keyed in "
        "later keeps the day it was filed); `late` compares it with `due_on`. Absent from "
        "producers before it was added: read `submitted_at`'s day in Vietnam then.",
    )

    @property
    def filed_day(self) -> date:
        """`filed_on`, or (from an older producer) the day it was recorded in Vietnam."""
        return campaign_day(self.filed_on, self.submitted_at)


class _OnComplaintCase(EventData, topic=topics.REPORTS):
    """Which complaint case the event is about, and the unit that must settle it."""

    case_id: UUID
    campaign_code: CampaignCode
    unit_code: Code


class ComplaintCaseOpened(_OnComplaintCase, name="complaint.opened.v1"):
    """A complaint or denunciation (đơn thư khiếu nại, tố cáo) a unit must settle in time."""

    received_on: date = Field(description="The campaign day the unit received it.")
    due_on: date
    recorded_by: Subject
    recorded_at: datetime | None = Field(
        default=None, description="When submissions recorded it (UTC, on the campaign's clock)."
    )


class ComplaintCaseResolved(_OnComplaintCase, name="complaint.resolved.v1"):
    received_on: date
    due_on: date
    resolved_on: date = Field(description="The campaign day it was settled.")
    recorded_by: Subject
    recorded_at: datetime | None = Field(
        default=None, description="When submissions recorded the resolution (UTC, campaign clock)."
    )
