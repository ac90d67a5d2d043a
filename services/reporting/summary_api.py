"""Reporting's summaries: a campaign's figures for a unit and its subtree, rolled up.

The federation sees everything; a unit officer sees their own subtree; anyone signed in may
read the federation-wide aggregates (published figures)."""

from collections import Counter, defaultdict
from datetime import datetime
from typing import Any

from fastapi import APIRouter
from sqlmodel import col, select

from services.reporting.scope import scope_root
from services.reporting.tables import (
    AwardView,
    ComplaintView,
    InitiativeView,
    RegistrationView,
    ReportView,
    UnitView,
)
from shared.auth import CurrentPrincipal
from shared.formatting import VIETNAM_TIME, format_vnd
from shared.http.dependencies import DbSession

router = APIRouter(prefix="/api/v1", tags=["summaries"])


@router.get("/summary/{campaign_code}")
async def summary(
    campaign_code: str,
    principal: CurrentPrincipal,
    session: DbSession,
    unit: str | None = None,
) -> dict[str, Any]:
    """Tổng hợp: initiatives (submitted, recognised, benefit) by unit, field and month;
    registrations by movement; reports on time and late; complaints overdue; awards by type
    and level — for `unit` (default: the caller's unit, or the federation) and below."""
    root = await scope_root(session, principal, unit)
    path = root.path if root else ""
    units = (await session.exec(select(UnitView).where(col(UnitView.path).startswith(path)))).all()
    paths = {u.code: u.path for u in units}
    children = sorted(
        (u for u in units if u.parent_code == (root.code if root else None)), key=lambda u: u.code
    )

    initiatives = [
        i
        for i in (
            await session.exec(
                select(InitiativeView).where(
                    InitiativeView.campaign_code == campaign_code,
                    col(InitiativeView.withdrawn).is_(False),
                    col(InitiativeView.field) != "",
                )
            )
        ).all()
        if i.unit_code in paths
    ]
    by_child: dict[str, Counter[str]] = defaultdict(Counter)
    for item in initiatives:
        child = next((c.code for c in children if paths[item.unit_code].startswith(c.path)), None)
        if child:
            by_child[child]["submitted"] += 1
            by_child[child]["recognised"] += bool(item.recognised)
            by_child[child]["benefit_vnd"] += item.expected_benefit_vnd
    benefit = sum(i.expected_benefit_vnd for i in initiatives)
    registrations = [
        r
        for r in (
            await session.exec(
                select(RegistrationView).where(RegistrationView.campaign_code == campaign_code)
            )
        ).all()
        if r.unit_code in paths
    ]
    reports = [
        r
        for r in (
            await session.exec(select(ReportView).where(ReportView.campaign_code == campaign_code))
        ).all()
        if r.unit_code in paths
    ]
    today = datetime.now(VIETNAM_TIME).date()
    complaints = [
        c
        for c in (
            await session.exec(
                select(ComplaintView).where(ComplaintView.campaign_code == campaign_code)
            )
        ).all()
        if c.unit_code in paths
    ]
    awards = [
        a
        for a in (
            await session.exec(select(AwardView).where(AwardView.campaign_code == campaign_code))
        ).all()
        if a.unit_code in paths
    ]
    return {
        "campaign_code": campaign_code,
        "unit": {"code": root.code, "name": root.name} if root else None,
        "initiatives": {
            "submitted": len(initiatives),
            "recognised": sum(bool(i.recognised) for i in initiatives),
            "benefit_vnd": benefit,
            "benefit_display": format_vnd(benefit),
            "by_unit": [
                {"code": c.code, "name": c.name, **by_child.get(c.code, Counter())}
                for c in children
            ],
            "by_field": dict(Counter(i.field for i in initiatives)),
            "by_month": dict(sorted(Counter(i.month for i in initiatives).items())),
        },
        "registrations": {
            "approved_units": len({r.unit_code for r in registrations if r.status == "approved"}),
            "by_movement": dict(
                Counter(
                    m for r in registrations if r.status == "approved" for m in r.movement_codes
                )
            ),
            "by_status": dict(Counter(r.status for r in registrations)),
        },
        "reports": {
            "on_time": sum(not r.late for r in reports),
            "late": sum(r.late for r in reports),
        },
        "complaints": {
            "open": sum(c.resolved_on is None for c in complaints),
            "overdue": sum((c.resolved_on or today) > c.due_on for c in complaints),
        },
        "awards": {
            "by_type": dict(Counter(a.award_name for a in awards if a.status != "revoked")),
            "by_level": dict(Counter(a.level for a in awards if a.status != "revoked")),
            "by_status": dict(Counter(a.status for a in awards)),
        },
    }
