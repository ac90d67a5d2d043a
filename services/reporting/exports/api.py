"""Downloads for the sơ kết and tổng kết: a phase's figures as an XLSX workbook, one sheet
per section, or one section as CSV (`sections.SLUGS` names them).

Unlike the dashboard's published aggregates, an export names people and lagging units, so it
needs a token: federation admins and reviewers may export any unit's subtree, a unit officer
only their own (`?unit=` narrows it; the default is the caller's unit, or the federation).
"""

import asyncio
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from services.reporting.dependencies import Files
from services.reporting.exports.scope import Scope
from services.reporting.exports.sections import SLUGS, build
from services.reporting.exports.sheets import (
    CSV_MEDIA_TYPE,
    XLSX_MEDIA_TYPE,
    file_name,
    to_csv,
    to_xlsx,
)
from services.reporting.queries import campaign_or_404, phase_or_404, scope_root
from shared.auth import Principal, Role, require_roles
from shared.campaign.calendar import as_of
from shared.clock import today
from shared.formatting import format_date
from shared.http.dependencies import CampaignClock, DbSession
from shared.http.errors import ClientError

router = APIRouter(prefix="/api/v1/exports", tags=["exports"])
Exporter = Annotated[
    Principal, Depends(require_roles(Role.FEDERATION_ADMIN, Role.REVIEWER, Role.UNIT_OFFICER))
]
UnitQuery = Annotated[
    str | None, Query(description="Only this unit's subtree (default: the caller's unit).")
]


async def _scope(
    campaign_code: str,
    phase_code: str,
    session: DbSession,
    files: Files,
    principal: Exporter,
    clock: CampaignClock,
    unit: UnitQuery = None,
) -> Scope:
    """What a download covers, before anything is built: 404 for an unknown campaign, phase
    or unit, 403 for a unit outside the caller's own."""
    plan = await campaign_or_404(session, files, campaign_code)
    phase = phase_or_404(plan, phase_code)
    root = await scope_root(session, principal, unit)  # 404 unknown unit, 403 outside one's own
    shown = principal.is_federation_admin
    return Scope(session, plan, phase, root, today(clock), proposals_shown=shown)


ExportScope = Annotated[Scope, Depends(_scope)]


@router.get(
    "/{campaign_code}/{phase_code}.xlsx",
    response_class=Response,
    responses={200: {"content": {XLSX_MEDIA_TYPE: {}}, "description": "The workbook."}},
)
async def workbook(campaign_code: str, scope: ExportScope) -> Response:
    """Báo cáo sơ kết / tổng kết (XLSX): the targets, the units lagging on each, the league,
    initiatives by unit, field and month received, registrations by movement, reports,
    overdue complaints and awards — year to date, for the subtree."""
    tables = await build(scope)
    unit_name = scope.root.name if scope.root is not None else campaign_code
    figures_of = format_date(as_of(scope.plan, scope.today))
    title = f"{scope.phase.closing_review.name} — {unit_name} (số liệu đến ngày {figures_of})"
    # Writing a national tree's workbook takes a while: not on the event loop.
    content = await asyncio.to_thread(to_xlsx, tables, title)
    return _download(content, XLSX_MEDIA_TYPE, file_name(scope.plan, scope.phase, scope.root))


@router.get(
    "/{campaign_code}/{phase_code}/{table}.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}, "description": "The table, UTF-8 with BOM."}},
)
async def table_csv(table: str, scope: ExportScope) -> Response:
    """One section of the export as CSV (UTF-8 with a BOM, for Excel), the same headers."""
    if table not in SLUGS:
        raise ClientError(
            404,
            "table",
            "unknown_table",
            f"Không có bảng {table}; các bảng xuất được: {', '.join(SLUGS)}",
            f"No table {table}; the tables are: {', '.join(SLUGS)}",
        )
    [section] = await build(scope, only=table)
    name = file_name(scope.plan, scope.phase, scope.root, "csv", table)
    return _download(to_csv(section), CSV_MEDIA_TYPE, name)


def _download(content: bytes, media_type: str, name: str) -> Response:
    return Response(
        content,
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            # Names of people and of lagging units: not for shared caches or the browser's.
            "Cache-Control": "no-store",
        },
    )
