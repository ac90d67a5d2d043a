"""HTTP API of reporting: initiatives per unit, counted from the initiatives read model."""

from fastapi import APIRouter
from pydantic import BaseModel
from sqlmodel import col, func, select

from services.reporting.tables import COUNTED, InitiativeView
from shared.formatting import format_vnd
from shared.http.dependencies import CampaignCodeQuery, DbSession
from shared.http.filters import UnitCodeFilter
from shared.http.paging import RowsPageQuery

router = APIRouter(prefix="/api/v1", tags=["initiatives"])


class UnitInitiativeCountPublic(BaseModel):
    campaign_code: str
    unit_code: str
    submitted: int
    expected_benefit_vnd: int
    expected_benefit_display: str


@router.get("/initiative-counts", response_model=list[UnitInitiativeCountPublic])
async def initiative_counts(
    shown: UnitCodeFilter, session: DbSession, campaign_code: CampaignCodeQuery, page: RowsPageQuery
) -> list[UnitInitiativeCountPublic]:
    """Số sáng kiến đã nộp theo đơn vị: initiatives submitted per unit (withdrawn ones
    left out)."""
    submitted = func.count().label("submitted")
    benefit = func.coalesce(func.sum(InitiativeView.expected_benefit_vnd), 0).label("benefit")
    query = (
        select(InitiativeView.unit_code, submitted, benefit)
        # A row whose submission has not arrived yet (a decision overtook it) has no field.
        .where(
            InitiativeView.campaign_code == campaign_code,
            COUNTED,
        )
        .group_by(col(InitiativeView.unit_code))
    )
    query = shown.narrow(query, InitiativeView.unit_code)
    query = query.order_by(submitted.desc(), col(InitiativeView.unit_code))
    rows = (await session.exec(page.of(query))).all()
    return [
        UnitInitiativeCountPublic(
            campaign_code=campaign_code,
            unit_code=unit,
            submitted=count,
            expected_benefit_vnd=int(total),
            expected_benefit_display=format_vnd(int(total)),
        )
        for unit, count, total in rows
    ]
