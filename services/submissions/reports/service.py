"""Use cases of reports and complaint cases: each takes the unit of work (the session of the
caller's transaction, the outbox, the campaign's clock and files) and who acts; rules.py says
what must hold."""

from datetime import date
from typing import Any
from uuid import UUID, uuid4

from services.submissions.access import TreeScope, locked, unit_acted_for
from services.submissions.campaigns.rules import Window, campaign_day, period_window
from services.submissions.campaigns.service import accepting_phase_of, campaign_definition
from services.submissions.reports import rules
from services.submissions.reports.tables import ComplaintCase, Report
from services.submissions.source import SOURCE
from shared.auth import Principal, ensure_can_act_for_unit
from shared.campaign.calendar import Days
from shared.campaign.model import ReportKind
from shared.clock import Clock, today
from shared.contracts import ComplaintCaseOpened, ComplaintCaseResolved, ReportSubmitted
from shared.formatting import format_date
from shared.http.dependencies import UnitOfWork
from shared.messaging.cloudevents import new_envelope
from shared.refusals import Kind, Refusal
from shared.upsert import locked_or_added


async def file_report(
    work: UnitOfWork,
    principal: Principal,
    *,
    campaign_code: str,
    phase_code: str,
    unit_code: str,
    kind: ReportKind,
    figures: dict[str, float],
    summary: str,
    filed_on: date | None,
) -> Report:
    """Gửi báo cáo: filing again replaces the unit's earlier report of that kind."""
    session, clock, campaigns = work.session, work.clock, work.campaigns
    await unit_acted_for(session, principal, unit_code)
    phase, campaign = await accepting_phase_of(session, campaigns, campaign_code, phase_code)
    rules.check_figures(campaign, figures)
    now = clock.now()
    day = campaign_day(
        filed_on,
        field="filed_on",
        what_vi="Ngày nộp báo cáo",
        today=today(clock),
        within=rules.filing_windows(campaign, kind, phase.code),
    )
    due = rules.report_due_on(kind, phase.starts_on, phase.report_due_on)
    content: dict[str, Any] = {
        "figures": figures,
        "summary": summary,
        "due_on": due,
        "submitted_at": now,
        "filed_on": day,
        "late": rules.is_late(day, due),
        "submitted_by": principal.subject,
    }
    # Filing again replaces the earlier report's content; it keeps its id.
    report = await locked_or_added(
        session,
        Report(
            id=uuid4(),
            campaign_code=campaign_code,
            phase_code=phase_code,
            unit_code=unit_code,
            kind=kind.value,
            **content,
        ),
        ("campaign_code", "phase_code", "unit_code", "kind"),
    )
    report.sqlmodel_update(content)
    await session.flush()
    event = ReportSubmitted.of(report, report_id=report.id)
    await work.outbox.add(session, new_envelope(event, source=SOURCE, subject=str(report.id)))
    return report


async def record_complaint(
    work: UnitOfWork,
    principal: Principal,
    *,
    campaign_code: str,
    unit_code: str,
    summary: str,
    received_on: date,
    due_on: date | None,
) -> ComplaintCase:
    """Ghi nhận đơn thư received by a unit in the campaign's period; `complaint opened`."""
    session, clock, campaigns = work.session, work.clock, work.campaigns
    await unit_acted_for(session, principal, unit_code)
    campaign = await campaign_definition(session, campaign_code, campaigns)
    campaign_day(
        received_on,
        field="received_on",
        what_vi="Ngày nhận đơn",
        today=today(clock),
        within=[period_window(campaign)],
    )
    case = ComplaintCase(
        id=uuid4(),
        campaign_code=campaign_code,
        unit_code=unit_code,
        summary=summary,
        received_on=received_on,
        due_on=rules.complaint_due_on(campaign, received_on, due_on),
        recorded_by=principal.subject,
    )
    session.add(case)
    event = ComplaintCaseOpened(**_case_act(case, principal, clock))
    await work.outbox.add(session, new_envelope(event, source=SOURCE, subject=str(case.id)))
    return case


async def resolve_complaint(
    work: UnitOfWork, principal: Principal, case_id: UUID, resolved_on: date
) -> ComplaintCase:
    """Giải quyết đơn thư: once, on a day from its receipt to today; `complaint resolved`."""
    session, clock = work.session, work.clock
    case = await locked(session, ComplaintCase, case_id, "case_id", "đơn thư", "Complaint case")
    await ensure_can_act_for_unit(principal, case.unit_code, TreeScope(session))
    if case.resolved_on is not None:
        raise Refusal(
            Kind.conflict,
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
        resolved_on,
        field="resolved_on",
        what_vi="Ngày giải quyết",
        today=day,
        within=[since_received],
    )
    case.resolved_on = resolved_on
    event = ComplaintCaseResolved(**_case_act(case, principal, clock), resolved_on=resolved_on)
    await work.outbox.add(session, new_envelope(event, source=SOURCE, subject=str(case.id)))
    return case


def _case_act(case: ComplaintCase, principal: Principal, clock: Clock) -> dict[str, Any]:
    """What each event of a complaint case says of it, and who recorded the act when."""
    return {
        "case_id": case.id,
        "campaign_code": case.campaign_code,
        "unit_code": case.unit_code,
        "received_on": case.received_on,
        "due_on": case.due_on,
        "recorded_by": principal.subject,
        "recorded_at": clock.now(),
    }
