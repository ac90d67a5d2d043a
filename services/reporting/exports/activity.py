"""The sections of an export counted straight from the read models, for the scope's subtree
and the year to date (this phase and the earlier ones), as the targets count."""

from collections import defaultdict
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import case, func, select

from services.reporting.exports.scope import Scope
from services.reporting.exports.sheets import UNIT_COLUMNS, Column, Table, unit_cells
from services.reporting.labels import code_label, field_label
from services.reporting.tables import COUNTED, Core, columns, with_unit
from shared.campaign.progress import SCORED_LEVELS, overdue_window, overdue_within
from shared.contracts.vocabulary import RegistrationStatus
from shared.formatting import VIETNAM_TIME
from shared.i18n import CODE_LABELS

# Mid-sentence ("Báo cáo kế hoạch"), as the portal's reports page says them: the labels are
# the pages' (shared.i18n), not written again here.
REPORT_KINDS: dict[str, str] = {
    kind: vi.lower() for kind, (vi, _) in CODE_LABELS["report_kind"].items()
}
_COUNTS = (
    Column("Sáng kiến đã nộp", "int"),
    Column("Được công nhận", "int"),
    Column("Giá trị làm lợi (đồng)", "vnd"),
)


async def _initiatives(scope: Scope, key: Any) -> list[Any]:
    return await scope.rows(
        select(
            key,
            func.count(),
            func.sum(case((Core.initiatives.c.recognised.is_(True), 1), else_=0)),
            func.coalesce(func.sum(Core.initiatives.c.expected_benefit_vnd), 0),
        )
        .select_from(with_unit(Core.initiatives))
        .where(
            Core.initiatives.c.campaign_code == scope.plan.code,
            Core.initiatives.c.phase_code.in_(scope.phases),
            COUNTED,
        )
        .group_by(key),
    )


async def by_field(scope: Scope) -> Table:
    table = Table("Theo lĩnh vực", (Column("Lĩnh vực"), *_COUNTS))
    rows = sorted(await _initiatives(scope, Core.initiatives.c.field), key=lambda r: (-r[1], r[0]))
    table.rows = [(field_label(f), int(n), int(rec), int(vnd)) for f, n, rec, vnd in rows]
    return table


async def by_month(scope: Scope) -> Table:
    table = Table(
        "Theo tháng",
        (Column("Tháng"), *_COUNTS, Column("Lũy kế đã nộp", "int")),
    )
    total = 0
    for month, n, recognised, benefit in sorted(
        await _initiatives(scope, Core.initiatives.c.month)
    ):
        total += int(n)
        year, number = month.split("-")
        table.rows.append((f"{number}/{year}", int(n), int(recognised), int(benefit), total))
    return table


async def registrations(scope: Scope) -> Table:
    """Units whose registration for each movement of the campaign is approved."""
    table = Table(
        "Đăng ký theo phong trào",
        (
            Column("Mã phong trào"),
            Column("Tên phong trào, cuộc vận động"),
            Column("Loại"),
            Column("Số đơn vị đăng ký được duyệt", "int"),
        ),
    )
    units: dict[str, set[str]] = defaultdict(set)
    query = (
        select(Core.registrations.c.unit_code, Core.registrations.c.movement_codes)
        .select_from(with_unit(Core.registrations))
        .where(
            Core.registrations.c.campaign_code == scope.plan.code,
            Core.registrations.c.phase_code.in_(scope.phases),
            Core.registrations.c.status == RegistrationStatus.approved,
        )
    )
    for unit, movements in await scope.rows(query):
        for movement in movements:
            units[movement].add(unit)
    known = {m.code for m in scope.plan.movements}
    for m in scope.plan.movements:
        table.rows.append((m.code, m.name, code_label("movement_kind", m.kind), len(units[m.code])))
    for code in sorted(units.keys() - known):  # not in the plan as published: shown, not lost
        table.rows.append((code, code, None, len(units[code])))
    return table


async def reports(scope: Scope) -> Table:
    """The phase's reports of every union that reports (affiliated and grassroots)."""
    kinds = [str(k) for k in scope.plan.reporting.reports]
    headers = list(UNIT_COLUMNS)
    for kind in kinds:
        label = REPORT_KINDS.get(kind, kind)
        headers += [Column(f"Báo cáo {label}"), Column(f"Ngày nộp báo cáo {label}", "date")]
    table = Table("Báo cáo", headers)
    query = (
        select(*columns(Core.reports, "unit_code", "kind", "late", "submitted_at", "filed_on"))
        .select_from(with_unit(Core.reports))
        .where(
            Core.reports.c.campaign_code == scope.plan.code,
            Core.reports.c.phase_code == scope.phase.code,
        )
    )
    # The day it was filed in the campaign (a row loaded before there was one: when recorded).
    filed = {
        (unit, kind): (late, on or vietnam_day(at))
        for unit, kind, late, at, on in await scope.rows(query)
    }
    for unit in await scope.units():
        if unit.level not in SCORED_LEVELS:
            continue
        row: list[Any] = [*unit_cells(unit.code, unit.name, unit.level)]
        for kind in kinds:
            late, on = filed.get((unit.code, kind), (None, None))
            status = "Chưa nộp" if on is None else "Trễ hạn" if late else "Đúng hạn"
            row += [status, on]
        table.rows.append(row)
    return table


async def overdue_complaints(scope: Scope) -> Table:
    """Cases overdue on some day of the targets' window, as target 5 counts them; the days
    overdue are counted to their resolution, or to the window's end (today, or the phase's)."""
    table = Table(
        "Khiếu nại quá hạn",
        (
            Column("Mã hồ sơ"),
            Column("Mã đơn vị"),
            Column("Tên đơn vị"),
            Column("Ngày nhận", "date"),
            Column("Hạn giải quyết", "date"),
            Column("Ngày giải quyết", "date"),
            Column("Số ngày quá hạn", "int"),
        ),
    )
    start, end = overdue_window(scope.plan, scope.phase.code, scope.today)
    query = (
        select(
            *columns(
                Core.complaints, "case_id", "unit_code", "received_on", "due_on", "resolved_on"
            ),
            Core.units.c.name,
        )
        .select_from(with_unit(Core.complaints))
        .where(Core.complaints.c.campaign_code == scope.plan.code)
    )
    for case_id, unit, received, due, resolved, name in sorted(
        await scope.rows(query), key=lambda r: (r.unit_code, r.due_on, str(r.case_id))
    ):
        if overdue_within(due, resolved, start, end, scope.today):
            days = (min(resolved or scope.today, end) - due).days
            table.rows.append((str(case_id), unit, name, received, due, resolved, days))
    return table


def vietnam_day(at: datetime) -> date:
    if at.tzinfo is None:  # SQLite keeps no offset; what is stored is UTC
        at = at.replace(tzinfo=UTC)
    return at.astimezone(VIETNAM_TIME).date()
