"""HTTP API of scoring: what waits for review."""

from fastapi import APIRouter, Query
from pydantic import BaseModel
from sqlmodel import col, select

from services.scoring.handlers import AWAITING_REVIEW
from services.scoring.tables import ReviewItem
from shared.http.dependencies import DbSession

router = APIRouter(prefix="/api/v1", tags=["reviews"])


class ReviewItemPublic(BaseModel):
    initiative_id: str
    campaign_code: str
    unit_code: str
    title: str
    field: str
    status: str


@router.get("/reviews/pending", response_model=list[ReviewItemPublic])
async def pending_reviews(
    session: DbSession,
    unit_code: str | None = None,
    limit: int = Query(default=50, ge=1, le=500),
    offset: int = Query(default=0, ge=0),
) -> list[ReviewItemPublic]:
    """Sáng kiến chờ hội đồng chấm: initiatives awaiting their council's review."""
    query = select(ReviewItem).where(ReviewItem.status == AWAITING_REVIEW)
    if unit_code:
        query = query.where(ReviewItem.unit_code == unit_code)
    items = (
        await session.exec(query.order_by(col(ReviewItem.submitted_at)).offset(offset).limit(limit))
    ).all()
    return [
        ReviewItemPublic(
            **item.model_dump(exclude={"initiative_id"}), initiative_id=str(item.initiative_id)
        )
        for item in items
    ]
