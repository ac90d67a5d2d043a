"""HTTP API of submissions: reports (báo cáo) and complaint cases (đơn thư khiếu nại, tố cáo).

A unit files its plan and its results each phase, with the figures the targets' indicators
read (shares in percent, 0 to 100), on a day of the campaign; one filed after the phase's
deadline is marked late. Complaint cases carry the dates target 5 is measured by: received,
due (received + the campaign's resolution days), resolved. Every date is a day of the
campaign, not after the campaign's today (its clock is passed in), and each event also
carries when it was recorded.
"""

from datetime import date, datetime, timedelta
from enum import StrEnum
from uuid import UUID, uuid4

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field, model_validator
from pydantic_core import PydanticCustomError
from sqlmodel import col, select

from services.submissions.access import TreeScope, existing_unit
from services.submissions.campaigns.calendar import (
    Window,
    campaign_day,
    campaign_window,
    period_window,
    phase_window,
)
from services.submissions.campaigns.lifecycle import accepting_phase, campaign_definition
from services.submissions.db import idempotency_keys
from services.submissions.reports.tables import ComplaintCase, Report
from services.submissions.units.tables import Unit
from shared.auth import CurrentPrincipal, ensure_can_act_for_unit
from shared.campaign.calendar import Days
from shared.campaign.model import Campaign, NoneOverdue, ShareOfUnits
from shared.clock import today
from shared.contracts import ComplaintCaseOpened, ComplaintCaseResolved, ReportSubmitted
from shared.contracts.bounds import FIGURES_MAX, CampaignCode, Code, LongText, Note
from shared.formatting import format_date
from shared.http.dependencies import CampaignClock, DbSession, OutboxWriter
from shared.http.errors import ClientError, add_vietnamese
from shared.http.idempotency import IdempotencyKey, IdempotentRequest, request_hash
from shared.messaging.cloudevents import new_envelope

router = APIRouter(prefix="/api/v1", tags=["reports"])
add_vietnamese({"due_before_received": "Hạn giải quyết không được trước ngày nhận đơn"})
SOURCE = "/thidua/submissions"


class ReportKind(StrEnum):
    plan = "plan"
    result = "result"


class ReportIn(BaseModel):
    campaign_code: CampaignCode = "2022"
    phase_code: Code
    unit_code: Code
    kind: ReportKind
    figures: dict[Code, float] = Field(
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


class ComplaintIn(BaseModel):
    campaign_code: CampaignCode = "2022"
    unit_code: Code
    summary: Note = Field(min_length=5)
    received_on: date = Field(
        description="Ngày nhận đơn: a day of the campaign's period, not after today."
    )
    due_on: date | None = Field(
        default=None, description="Default: received + the campaign's resolution days."
    )

    @model_validator(mode="after")
    def due_after_received(self) -> "ComplaintIn":
        if self.due_on is not None and self.due_on < self.received_on:
            raise PydanticCustomError(
                "due_before_received", "The due date cannot be before the date received"
            )
        return self


class ResolveIn(BaseModel):
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
    body: ReportIn,
    principal: CurrentPrincipal,
    session: DbSession,
    outbox: OutboxWriter,
    clock: CampaignClock,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Gửi báo cáo: filing again replaces the unit's earlier report of that kind. With an
    `Idempotency-Key`, a retry gets the first answer and files nothing again."""
    once = IdempotentRequest(
        idempotency_keys, principal.subject, idempotency_key, request_hash(body)
    )
    async with session.begin():
        if (earlier := await once.earlier(session)) is not None:
            return earlier
        await existing_unit(session, body.unit_code)
        await ensure_can_act_for_unit(principal, body.unit_code, TreeScope(session))
        phase = await accepting_phase(session, body.campaign_code, body.phase_code)
        campaign = await campaign_definition(session, body.campaign_code)
        _check_figures(campaign, body.figures)
        now = clock.now()
        windows = [campaign_window(campaign)]
        if body.kind == ReportKind.result:  # the results of a phase come once it has begun
            windows.append(_from_phase_start(campaign, phase.code))
        filed_on = campaign_day(
            body.filed_on,
            field="filed_on",
            what_vi="Ngày nộp báo cáo",
            today=today(clock),
            within=windows,
        )
        due = phase.report_due_on if body.kind == ReportKind.result else phase.starts_on
        report = (
            await session.exec(
                select(Report).where(
                    Report.campaign_code == body.campaign_code,
                    Report.phase_code == body.phase_code,
                    Report.unit_code == body.unit_code,
                    Report.kind == body.kind.value,
                )
            )
        ).first() or Report(
            id=uuid4(),
            **body.model_dump(include={"campaign_code", "phase_code", "unit_code"}),
            kind=body.kind.value,
            figures={},
            summary="",
            submitted_at=now,
            filed_on=filed_on,
            late=False,
            submitted_by=principal.subject,
        )
        report.figures, report.summary, report.due_on = body.figures, body.summary, due
        report.submitted_at, report.submitted_by = now, principal.subject
        report.filed_on = filed_on
        report.late = due is not None and filed_on > due
        session.add(report)
        await session.flush()
        event = ReportSubmitted(
            report_id=report.id,
            campaign_code=report.campaign_code,
            phase_code=report.phase_code,
            unit_code=report.unit_code,
            kind=report.kind,
            figures=report.figures,
            due_on=report.due_on,
            submitted_at=now,
            late=report.late,
            submitted_by=principal.subject,
            filed_on=filed_on,
        )
        await outbox.add(session, new_envelope(event, source=SOURCE, subject=str(report.id)))
        answer = await once.answer(
            session, 201, ReportPublic.model_validate(report, from_attributes=True)
        )
    return answer


@router.get("/reports", response_model=list[ReportPublic])
async def list_reports(
    principal: CurrentPrincipal,
    session: DbSession,
    campaign_code: str = "2022",
    phase_code: str | None = None,
    unit_code: str | None = None,
    limit: int = Query(default=100, ge=1, le=1000),
    offset: int = Query(default=0, ge=0),
) -> list[ReportPublic]:
    root_code = unit_code or principal.unit_code
    await ensure_can_act_for_unit(principal, root_code, TreeScope(session))
    root = await existing_unit(session, root_code)
    query = (
        select(Report)
        .join(Unit, col(Unit.code) == col(Report.unit_code))
        .where(Report.campaign_code == campaign_code, col(Unit.path).startswith(root.path))
    )
    if phase_code:
        query = query.where(Report.phase_code == phase_code)
    rows = (await session.exec(query.order_by(col(Unit.path)).offset(offset).limit(limit))).all()
    return [ReportPublic.model_validate(r, from_attributes=True) for r in rows]


@router.post("/complaints", status_code=201, response_model=ComplaintPublic)
async def record_complaint(
    body: ComplaintIn,
    principal: CurrentPrincipal,
    session: DbSession,
    outbox: OutboxWriter,
    clock: CampaignClock,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Ghi nhận đơn thư khiếu nại, tố cáo received by a unit in the campaign's period;
    publishes `complaint opened`. With an `Idempotency-Key`, a retry gets the first answer and
    opens no second case."""
    once = IdempotentRequest(
        idempotency_keys, principal.subject, idempotency_key, request_hash(body)
    )
    async with session.begin():
        if (earlier := await once.earlier(session)) is not None:
            return earlier
        await existing_unit(session, body.unit_code)
        await ensure_can_act_for_unit(principal, body.unit_code, TreeScope(session))
        campaign = await campaign_definition(session, body.campaign_code)
        campaign_day(
            body.received_on,
            field="received_on",
            what_vi="Ngày nhận đơn",
            today=today(clock),
            within=[period_window(campaign)],
        )
        due = body.due_on or body.received_on + timedelta(days=_resolution_days(campaign))
        case = ComplaintCase(
            id=uuid4(),
            campaign_code=body.campaign_code,
            unit_code=body.unit_code,
            summary=body.summary,
            received_on=body.received_on,
            due_on=due,
            recorded_by=principal.subject,
        )
        session.add(case)
        event = ComplaintCaseOpened(
            case_id=case.id,
            campaign_code=case.campaign_code,
            unit_code=case.unit_code,
            received_on=case.received_on,
            due_on=case.due_on,
            recorded_by=principal.subject,
            recorded_at=clock.now(),
        )
        await outbox.add(session, new_envelope(event, source=SOURCE, subject=str(case.id)))
        answer = await once.answer(session, 201, _complaint(case, today(clock)))
    return answer


@router.post("/complaints/{case_id}/resolve", response_model=ComplaintPublic)
async def resolve_complaint(
    case_id: UUID,
    body: ResolveIn,
    principal: CurrentPrincipal,
    session: DbSession,
    outbox: OutboxWriter,
    clock: CampaignClock,
) -> ComplaintPublic:
    async with session.begin():
        case = await session.get(ComplaintCase, case_id)
        if case is None:
            raise ClientError(
                404, "case_id", "not_found", "Không tìm thấy đơn thư", "Complaint case not found"
            )
        await ensure_can_act_for_unit(principal, case.unit_code, TreeScope(session))
        if case.resolved_on is not None:
            raise ClientError(
                409,
                "resolved_on",
                "already_resolved",
                f"Đơn thư đã giải quyết ngày {format_date(case.resolved_on)}",
                f"The case was resolved on {case.resolved_on}",
            )
        day = today(clock)
        since_received = Window(
            Days(case.received_on, day),
            "đơn thư, từ ngày nhận đến hôm nay",
            "the case, from its receipt to today",
            "resolved_out_of_range",
        )
        campaign_day(
            body.resolved_on,
            field="resolved_on",
            what_vi="Ngày giải quyết",
            today=day,
            within=[since_received],
        )
        case.resolved_on = body.resolved_on
        event = ComplaintCaseResolved(
            case_id=case.id,
            campaign_code=case.campaign_code,
            unit_code=case.unit_code,
            received_on=case.received_on,
            due_on=case.due_on,
            resolved_on=body.resolved_on,
            recorded_by=principal.subject,
            recorded_at=clock.now(),
        )
        await outbox.add(session, new_envelope(event, source=SOURCE, subject=str(case.id)))
    return _complaint(case, day)


@router.get("/complaints", response_model=list[ComplaintPublic])
async def list_complaints(
    principal: CurrentPrincipal,
    session: DbSession,
    clock: CampaignClock,
    unit_code: str | None = None,
    overdue_only: bool = False,
) -> list[ComplaintPublic]:
    root_code = unit_code or principal.unit_code
    await ensure_can_act_for_unit(principal, root_code, TreeScope(session))
    root = await existing_unit(session, root_code)
    query = (
        select(ComplaintCase)
        .join(Unit, col(Unit.code) == col(ComplaintCase.unit_code))
        .where(col(Unit.path).startswith(root.path))
    )
    day = today(clock)
    cases = [_complaint(c, day) for c in (await session.exec(query)).all()]
    return [c for c in cases if c.overdue] if overdue_only else cases


def _complaint(case: ComplaintCase, day: date) -> ComplaintPublic:
    """As it stands on `day` (the campaign's today): overdue once unresolved past its due day."""
    overdue = (case.resolved_on or day) > case.due_on
    return ComplaintPublic(**case.model_dump(exclude={"recorded_by"}), overdue=overdue)


def _from_phase_start(campaign: Campaign, phase_code: str) -> Window:
    """A phase's results are filed from its first day to the campaign's last (late ones too)."""
    phase = phase_window(campaign, phase_code)
    last = campaign_window(campaign).days.ends_on
    return Window(Days(phase.days.starts_on, last), phase.name_vi, phase.name_en, phase.code)


def _resolution_days(campaign: Campaign) -> int:
    for target in campaign.targets:
        if isinstance(target.indicator, NoneOverdue):
            return target.indicator.resolution_days
    return 30


def _check_figures(campaign: Campaign, figures: dict[str, float]) -> None:
    known = {
        t.indicator.figure
        for t in campaign.targets
        if isinstance(t.indicator, ShareOfUnits) and t.indicator.figure
    }
    for name, value in figures.items():
        if name not in known:
            raise ClientError(
                422,
                f"figures.{name}",
                "unknown_figure",
                f"Chỉ tiêu '{name}' không có trong kế hoạch; dùng: " + ", ".join(sorted(known)),
                f"No figure '{name}' in the campaign; use: " + ", ".join(sorted(known)),
            )
        if not 0 <= value <= 100:  # NaN too
            raise ClientError(
                422,
                f"figures.{name}",
                "percent_out_of_range",
                f"Số liệu '{name}' là tỷ lệ phần trăm, từ 0 đến 100 (không phải {value:g})",
                f"Figure '{name}' is a percentage, from 0 to 100 (not {value:g})",
            )
