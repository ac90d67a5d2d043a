"""The figures the dashboard shows, as an API: progress on the seven targets, the league
table, the trend toward the initiatives goal, initiatives by field, the honour board.

Federation-wide figures are published aggregates: anyone may read them. The league table of a
level lists every unit of that level, so narrowing it to a subtree (`unit=`) is open too: it
shows a part of what anyone may read (a token-only `unit=` protected nothing).
"""

from typing import Annotated

from fastapi import APIRouter, Query

from services.reporting.dashboard import queries
from services.reporting.dashboard.queries import (
    FieldPublic,
    HonourBoardPublic,
    LeaguePublic,
    ProgressPublic,
    TrendPublic,
)
from services.reporting.dependencies import FiguresRead, Files
from services.reporting.queries import LAGGING_KEPT, campaign_or_404, phase_or_404
from services.reporting.tables import UnitView
from shared.contracts.vocabulary import UnitLevel
from shared.http.dependencies import CampaignClock, DbSession
from shared.http.paging import Page, paging
from shared.refusals import Kind, unknown_unit

router = APIRouter(prefix="/api/v1", tags=["dashboard"])


@router.get("/progress/{campaign_code}/{phase_code}", response_model=ProgressPublic)
async def progress(
    campaign_code: str,
    phase_code: str,
    read: FiguresRead,
    lagging_limit: Annotated[int, Query(ge=0, le=LAGGING_KEPT)] = 20,
) -> ProgressPublic:
    """Tiến độ bảy chỉ tiêu: the federation's figure on each target, its goal, and the units
    that have not met it yet (year to date, as of the last refresh)."""
    plan = await campaign_or_404(read.session, read.files, campaign_code)
    phase = phase_or_404(plan, phase_code)
    return await queries.progress(
        read.session, read.answers, plan, phase, read.clock, lagging_limit
    )


@router.get("/league/{campaign_code}/{phase_code}", response_model=LeaguePublic)
async def league(
    campaign_code: str,
    phase_code: str,
    read: FiguresRead,
    page: Annotated[Page, paging(queries.LEAGUE_ROWS)],
    level: UnitLevel = UnitLevel.affiliated,
    unit: Annotated[str | None, Query(description="Only this unit's subtree.")] = None,
) -> LeaguePublic:
    """Bảng xếp hạng: units of a level ranked by emulation points, then initiatives
    recognised, then code; the figures are their subtrees'. A closed phase shows the standings
    scoring published at its close (the ranks its phase-closed messages gave); an open one,
    the same ordering on the figures so far."""
    plan = await campaign_or_404(read.session, read.files, campaign_code)
    phase = phase_or_404(plan, phase_code)
    within = None
    if unit is not None:
        within = await read.session.get(UnitView, unit)
        if within is None:
            raise unknown_unit(unit, "unit", Kind.not_found)
    return await queries.league(
        read.session, read.answers, plan, phase, read.clock, level, within, page.limit, page.offset
    )


@router.get("/trend/{campaign_code}", response_model=TrendPublic)
async def trend(
    campaign_code: str, session: DbSession, files: Files, clock: CampaignClock
) -> TrendPublic:
    """Tiến độ theo thời gian: initiatives submitted (and later recognised) per campaign day
    they were received, with running totals, as of the campaign's today, against the goal and
    the plan's phases."""
    plan = await campaign_or_404(session, files, campaign_code)
    return await queries.trend(session, plan, clock)


@router.get("/fields/{campaign_code}", response_model=list[FieldPublic])
async def by_field(
    campaign_code: str, session: DbSession, files: Files, phase: str | None = None
) -> list[FieldPublic]:
    """Sáng kiến theo lĩnh vực: the year to date, or to the end of `phase`."""
    plan = await campaign_or_404(session, files, campaign_code)
    chosen = phase_or_404(plan, phase) if phase is not None else None
    return await queries.by_field(session, plan, chosen)


@router.get("/honour-board/{campaign_code}", response_model=HonourBoardPublic)
async def honour_board(
    campaign_code: str,
    session: DbSession,
    files: Files,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
) -> HonourBoardPublic:
    """Bảng vàng: recognised initiatives of the greatest expected benefit, and the awards
    confirmed (newest first)."""
    plan = await campaign_or_404(session, files, campaign_code)
    return await queries.honour_board(session, plan, limit)
