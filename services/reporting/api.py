"""HTTP API of reporting: initiatives per unit."""

from fastapi import APIRouter, Query
from pydantic import BaseModel
from sqlmodel import col, select

from services.reporting.tables import UnitInitiativeCount
from shared.formatting import format_vnd
from shared.http.dependencies import DbSession

router = APIRouter(prefix="/api/v1", tags=["initiatives"])


class UnitInitiativeCountPublic(BaseModel):
    campaign_code: str
    unit_code: str
    submitted: int
    expected_benefit_vnd: int
    expected_benefit_display: str


@router.get("/initiative-counts", response_model=list[UnitInitiativeCountPublic])
async def initiative_counts(
    session: DbSession,
    campaign_code: str = "2022",
    unit_code: str | None = None,
    limit: int = Query(default=100, ge=1, le=1000),
    offset: int = Query(default=0, ge=0),
) -> list[UnitInitiativeCountPublic]:
    """Số sáng kiến đã nộp theo đơn vị: initiatives submitted per unit."""
    query = select(UnitInitiativeCount).where(UnitInitiativeCount.campaign_code == campaign_code)
    if unit_code:
        query = query.where(UnitInitiativeCount.unit_code == unit_code)
    query = query.order_by(
        col(UnitInitiativeCount.submitted).desc(), col(UnitInitiativeCount.unit_code)
    )
    rows = (await session.exec(query.offset(offset).limit(limit))).all()
    return [
        UnitInitiativeCountPublic(
            **row.model_dump(exclude={"last_event_at"}),
            expected_benefit_display=format_vnd(row.expected_benefit_vnd),
        )
        for row in rows
    ]
