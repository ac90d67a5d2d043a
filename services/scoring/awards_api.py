"""HTTP API of scoring: progress against the targets, and awards to confirm or revoke."""

from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends
from fastapi.encoders import jsonable_encoder
from pydantic import BaseModel, Field
from sqlmodel import col, select

from services.scoring import awarding
from services.scoring.tables import Award
from shared.auth import CurrentPrincipal, Principal, Role, require_roles
from shared.formatting import VIETNAM_TIME
from shared.http.dependencies import DbSession, OutboxWriter
from shared.http.errors import ClientError
from shared.messaging.cloudevents import new_envelope

router = APIRouter(prefix="/api/v1", tags=["awards"])
Admin = Annotated[Principal, Depends(require_roles(Role.FEDERATION_ADMIN))]


class AwardPublic(BaseModel):
    id: UUID
    campaign_code: str
    phase_code: str
    status: str
    grant: dict[str, Any]
    decided_by: str | None
    decided_at: datetime | None
    revoke_reason: str | None


class RevokeIn(BaseModel):
    reason: str = Field(min_length=5, max_length=2000, description="Lý do thu hồi.")


@router.get("/progress/{campaign_code}/{phase_code}")
async def target_progress(
    campaign_code: str, phase_code: str, _: CurrentPrincipal, session: DbSession
) -> Any:
    """Tiến độ các chỉ tiêu: the federation's value, goal and lagging units, per target."""
    today = datetime.now(VIETNAM_TIME).date()
    result = await awarding.progress(session, campaign_code, phase_code, today)
    return _jsonable(result)


@router.get("/awards", response_model=list[AwardPublic])
async def list_awards(
    _: CurrentPrincipal,
    session: DbSession,
    campaign_code: str = "2022",
    phase_code: str | None = None,
    status: str | None = None,
) -> list[AwardPublic]:
    query = select(Award).where(Award.campaign_code == campaign_code)
    if phase_code:
        query = query.where(Award.phase_code == phase_code)
    if status:
        query = query.where(Award.status == status)
    rows = (await session.exec(query.order_by(col(Award.phase_code)))).all()
    return [AwardPublic.model_validate(r, from_attributes=True) for r in rows]


@router.post("/awards/{award_id}/confirm", response_model=AwardPublic)
async def confirm_award(
    award_id: UUID, principal: Admin, session: DbSession, outbox: OutboxWriter
) -> AwardPublic:
    """Phê duyệt khen thưởng: publishes `award granted` with status confirmed."""
    async with session.begin():
        award = await _award(session, award_id, "proposed")
        grant = awarding.confirmed(award, principal.subject)
        await outbox.add(
            session, new_envelope(grant, source=awarding.SOURCE, subject=str(award_id))
        )
    return AwardPublic.model_validate(award, from_attributes=True)


@router.post("/awards/{award_id}/revoke", response_model=AwardPublic)
async def revoke_award(
    award_id: UUID, body: RevokeIn, principal: Admin, session: DbSession, outbox: OutboxWriter
) -> AwardPublic:
    """Thu hồi khen thưởng đã phê duyệt, with the reason; publishes `award revoked`."""
    async with session.begin():
        award = await _award(session, award_id, "confirmed")
        award.status, award.revoke_reason = "revoked", body.reason
        award.decided_by, award.decided_at = principal.subject, datetime.now(UTC)
        revoked = awarding.revoked(award, body.reason, award.decided_at)
        await outbox.add(
            session, new_envelope(revoked, source=awarding.SOURCE, subject=str(award_id))
        )
    return AwardPublic.model_validate(award, from_attributes=True)


async def _award(session: DbSession, award_id: UUID, expected: str) -> Award:
    award = await session.get(Award, award_id)
    if award is None:
        raise ClientError(
            404, "award_id", "not_found", "Không tìm thấy khen thưởng", "Award not found"
        )
    if award.status != expected:
        raise ClientError(
            409,
            "status",
            "wrong_status",
            f"Khen thưởng đang ở trạng thái '{award.status}'",
            f"The award is '{award.status}', not '{expected}'",
        )
    return award


def _jsonable(value: Any) -> Any:
    return jsonable_encoder(value)
