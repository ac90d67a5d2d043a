"""Thành tích đơn vị: the officer's unit in a phase — its rank among the units of its level,
its emulation points, the targets it meets and those it lags on (with why: in English too, for
a reader who chose it), its initiatives and their benefit. A closed phase shows the standing
scoring published at its close; an open one, the live ranking by the same rule. Over
reporting's /api/v1/league and submissions' campaign (the targets' names)."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from services.portal import lookups
from services.portal.client import api
from services.portal.menu import MenuItem
from services.portal.web import PORTAL, PortalUser, language, render, signed_in_as
from shared.auth import Role
from shared.contracts.vocabulary import PhaseStatus

router = APIRouter(include_in_schema=False)
PAGE = f"{PORTAL}/thanh-tich"
WHO = frozenset((Role.UNIT_OFFICER,))
MENU = (MenuItem(PAGE, "nav.standing", WHO),)
Officer = Annotated[PortalUser, Depends(signed_in_as(*WHO))]


def _chosen_phase(phases: list[dict[str, Any]], asked: str) -> dict[str, Any] | None:
    """The phase asked for, else the open one, else the last closed, else the first."""
    by_code = {p["code"]: p for p in phases}
    if asked in by_code:
        return by_code[asked]
    for status in (PhaseStatus.open, PhaseStatus.closed):
        found = [p for p in phases if p["status"] == status]
        if found:
            return found[-1]
    return phases[0] if phases else None


def _targets(campaign: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Each target's number and name (its English name where the campaign file gives one)."""
    if campaign is None:
        return []
    return [
        {"number": t["number"], "name": t["name"], "name_en": t.get("name_en") or ""}
        for t in campaign["definition"]["targets"]
    ]


@router.get(PAGE, response_class=HTMLResponse)
async def standing_page(request: Request, user: Officer, phase: str = "") -> HTMLResponse:
    code = lookups.campaign_code()
    async with api(request, user.token) as submissions:
        campaign = await lookups.get_campaign(submissions, code)
        unit = await lookups.get_unit(submissions, user.unit_code)
    phases = lookups.phases(campaign)
    chosen = _chosen_phase(phases, phase)
    row, total, closed = None, 0, False
    if chosen and unit:
        league = f"/api/v1/league/{code}/{chosen['code']}"
        async with api(request, user.token, "reporting") as reporting:
            mine = await reporting.get(
                league, params={"level": unit["level"], "unit": unit["code"]}
            )
            everyone = await reporting.get(league, params={"level": unit["level"], "limit": 1})
        if mine.status_code == 200:
            rows = [r for r in mine.json()["rows"] if r["unit_code"] == unit["code"]]
            row = rows[0] if rows else None
            closed = bool(mine.json()["closed"])
        if everyone.status_code == 200:
            total = int(everyone.json()["total"])
    targets = _targets(campaign)
    missed = {int(n): why for n, why in (row or {}).get("missed", {}).items()}
    # Reporting says in English the reasons that have English (the others stay Vietnamese).
    missed_en = {int(n): why for n, why in (row or {}).get("missed_en", {}).items()}
    return render(
        request,
        "standing.html",
        language(request),
        user=user,
        unit=unit,
        phases=phases,
        chosen=chosen,
        row=row,
        total=total,
        closed=closed,
        targets=targets,
        missed=missed,
        missed_en=missed_en,
    )
