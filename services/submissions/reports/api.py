"""HTTP API of submissions: reports (báo cáo) and complaint cases (đơn thư khiếu nại, tố cáo).

A unit files its plan and its results each phase, with the figures the targets' indicators
read (shares in percent, 0 to 100), on a day of the campaign; one filed after the phase's
deadline is marked late. Complaint cases carry the dates target 5 is measured by: received,
due (received + the campaign's resolution days), resolved. Every date is a day of the
campaign, not after the campaign's today (its clock is passed in), and each event also
carries when it was recorded.
"""

from datetime import date, datetime
from typing import Annotated, TypeVar
from uuid import UUID

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel, Field, model_validator
from pydantic_core import PydanticCustomError
from sqlmodel import col, select
from sqlmodel.sql.expression import SelectOfScalar

from services.submissions.access import TreeScope, existing_unit
from services.submissions.reports import service
from services.submissions.reports.tables import ComplaintCase, Report
from services.submissions.routing import UnitActing, UnitActor
from services.submissions.units.tables import Unit
from shared.auth import ensure_can_act_for_unit
from shared.campaign.model import ReportKind
from shared.campaign.progress import overdue_on
from shared.clock import today
from shared.contracts.bounds import FIGURES_MAX, CampaignCode, Code, Day, Finite, LongText, Note
from shared.http.dependencies import CampaignClock, CampaignCodeQuery, DbSession
from shared.http.errors import add_vietnamese
from shared.http.filters import PhaseCodeFilter
from shared.http.idempotency import IdempotencyKey, request_hash
from shared.http.paging import RowsPageQuery
from shared.http.request_body import RequestBody
from shared.settings import default_campaign_code
from shared.unit_tree import within_where

router = APIRouter(prefix="/api/v1", tags=["reports"])
Row = TypeVar("Row", Report, ComplaintCase)
add_vietnamese({"due_before_received": "Hạn giải quyết không được trước ngày nhận đơn"})


class UnitSubtree:
    """What a listing reads: the rows of unit `unit_code` (default: the caller's) and of the
    units below it, which the caller must act for."""

    def __init__(
        self, principal: UnitActor, session: DbSession, unit_code: str | None = None
    ) -> None:
        self.principal, self.session, self.unit_code = principal, session, unit_code

    async def rows(self, table: type[Row]) -> SelectOfScalar[Row]:
        root_code = self.unit_code or self.principal.unit_code
        await ensure_can_act_for_unit(self.principal, root_code, TreeScope(self.session))
        root = await existing_unit(self.session, root_code)
        return (
            select(table)
            .join(Unit, col(Unit.code) == col(table.unit_code))
            .where(within_where(col(Unit.path), root.path))
        )


Subtree = Annotated[UnitSubtree, Depends()]


class ReportIn(RequestBody):
    campaign_code: CampaignCode = Field(default_factory=default_campaign_code)
    phase_code: Code
    unit_code: Code
    kind: ReportKind
    figures: dict[Code, Finite] = Field(
        default_factory=dict,
        max_length=FIGURES_MAX,
        description="By the indicator's `figure` name in the campaign file; shares in percent.",
    )
    summary: LongText = Field(min_length=10, description="Nội dung báo cáo.")
    filed_on: date | None = Field(
        default=None,
        description="Ngày nộp: the day the unit filed it (an officer keying in a paper report "
        "gives that day); a day of the campaign (a result: from the phase's first day), not "
        "after today. Default: today.",
    )


class ReportPublic(BaseModel):
    id: UUID
    campaign_code: str
    phase_code: str
    unit_code: str
    kind: str
    figures: dict[str, float]
    summary: str
    due_on: date | None
    filed_on: date
    submitted_at: datetime
    late: bool
    submitted_by: str


class ComplaintIn(RequestBody):
    campaign_code: CampaignCode = Field(default_factory=default_campaign_code)
    unit_code: Code
    summary: Note = Field(min_length=5)
    received_on: date = Field(
        description="Ngày nhận đơn: a day of the campaign's period, not after today."
    )
    # The one date not checked against the campaign's days (a case received late is due after
    # them): bounded by the days' bounds instead, so the day after it exists (9999-12-31: 500).
    due_on: Day | None = Field(
        default=None,
        description="Default: received + the campaign's resolution days. From 2000 to 2099.",
    )

    @model_validator(mode="after")
    def due_after_received(self) -> "ComplaintIn":
        if self.due_on is not None and self.due_on < self.received_on:
            raise PydanticCustomError(
                "due_before_received", "The due date cannot be before the date received"
            )
        return self


class ResolveIn(RequestBody):
    resolved_on: date = Field(description="From the day it was received to today.")


class ComplaintPublic(BaseModel):
    id: UUID
    campaign_code: str
    unit_code: str
    summary: str
    received_on: date
    due_on: date
    resolved_on: date | None
    overdue: bool


@router.post("/reports", status_code=201, response_model=ReportPublic)
async def file_report(
    body: ReportIn, acting: UnitActing, idempotency_key: IdempotencyKey = None
) -> Response:
    """Gửi báo cáo: filing again replaces the unit's earlier report of that kind. With an
    `Idempotency-Key`, a retry gets the first answer and files nothing again."""

    async def file() -> ReportPublic:
        report = await service.file_report(
            acting.work, acting.principal, **body.model_dump(exclude={"kind"}), kind=body.kind
        )
        return ReportPublic.model_validate(report, from_attributes=True)

    return await acting.answer_once(idempotency_key, request_hash(body), 201, file)


@router.get("/reports", response_model=list[ReportPublic])
async def list_reports(
    shown: PhaseCodeFilter, subtree: Subtree, campaign_code: CampaignCodeQuery, page: RowsPageQuery
) -> list[ReportPublic]:
    query = (await subtree.rows(Report)).where(Report.campaign_code == campaign_code)
    query = shown.narrow(query, Report.phase_code)
    query = page.of(query.order_by(col(Unit.path)))
    rows = (await subtree.session.exec(query)).all()
    return [ReportPublic.model_validate(r, from_attributes=True) for r in rows]


@router.post("/complaints", status_code=201, response_model=ComplaintPublic)
async def record_complaint(
    body: ComplaintIn, acting: UnitActing, idempotency_key: IdempotencyKey = None
) -> Response:
    """Ghi nhận đơn thư khiếu nại, tố cáo received by a unit in the campaign's period;
    publishes `complaint opened`. With an `Idempotency-Key`, a retry gets the first answer and
    opens no second case."""

    async def record() -> ComplaintPublic:
        case = await service.record_complaint(acting.work, acting.principal, **body.model_dump())
        return _complaint(case, today(acting.work.clock))

    return await acting.answer_once(idempotency_key, request_hash(body), 201, record)


@router.post("/complaints/{case_id}/resolve", response_model=ComplaintPublic)
async def resolve_complaint(case_id: UUID, body: ResolveIn, acting: UnitActing) -> ComplaintPublic:
    async with acting.work.session.begin():
        case = await service.resolve_complaint(
            acting.work, acting.principal, case_id, body.resolved_on
        )
    return _complaint(case, today(acting.work.clock))


@router.get("/complaints", response_model=list[ComplaintPublic])
async def list_complaints(
    subtree: Subtree, clock: CampaignClock, overdue_only: bool = False
) -> list[ComplaintPublic]:
    query = await subtree.rows(ComplaintCase)
    day = today(clock)
    cases = [_complaint(c, day) for c in (await subtree.session.exec(query)).all()]
    return [c for c in cases if c.overdue] if overdue_only else cases


def _complaint(case: ComplaintCase, day: date) -> ComplaintPublic:
    """As it stands on `day` (the campaign's today)."""
    overdue = overdue_on(case.due_on, case.resolved_on, day)
    return ComplaintPublic(**case.model_dump(exclude={"recorded_by"}), overdue=overdue)
