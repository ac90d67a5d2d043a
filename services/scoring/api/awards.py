"""HTTP API of scoring: progress against the targets, and the award proposals a federation
admin decides: confirm (the award is granted), reject with a reason; a confirmed award may be
revoked with a reason, kept for the record."""

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends
from fastapi.encoders import jsonable_encoder
from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.scoring.api.refusals import answering_decisions, answering_unknowns
from services.scoring.service import awarding, decisions
from services.scoring.tables import Award
from shared.auth import CurrentPrincipal, FederationAdmin
from shared.clock import Clock, today
from shared.contracts.bounds import Reason
from shared.contracts.vocabulary import AWARDS_ANNOUNCED, AwardStatus
from shared.http.dependencies import CampaignClock, Campaigns, DbSession, OutboxWriter
from shared.http.filters import PhaseStatusFilter, phase_status_filter
from shared.http.request_body import RequestBody
from shared.messaging.outbox import Outbox

# ?campaign_code=&phase_code=&status= (one of AwardStatus's).
Shown = Annotated[PhaseStatusFilter, Depends(phase_status_filter(AwardStatus))]

router = APIRouter(prefix="/api/v1", tags=["awards"])


class AwardPublic(BaseModel):
    id: UUID
    campaign_code: str
    phase_code: str
    status: str
    grant: dict[str, Any]
    decided_by: str | None = Field(description="Who took the last decision on it.")
    decided_at: datetime | None
    revoke_reason: str | None = Field(description="Why it was revoked (or withdrawn).")
    reject_reason: str | None = Field(description="Why the proposal was rejected.")
    confirmed_by: str | None = Field(description="Who confirmed it (kept once revoked).")
    confirmed_at: datetime | None


class ReasonIn(RequestBody):
    model_config = ConfigDict(str_strip_whitespace=True)  # blanks are no reason

    reason: Reason = Field(min_length=5, description="Lý do: kept on the award's record.")


class RevokeIn(ReasonIn):
    """Thu hồi: e.g. the commendation rested on false claims."""


class RejectIn(ReasonIn):
    """Không phê duyệt đề nghị khen thưởng."""


@router.get("/progress/{campaign_code}/{phase_code}")
async def target_progress(
    campaign_code: str,
    phase_code: str,
    _: CurrentPrincipal,
    session: DbSession,
    campaigns: Campaigns,
    clock: CampaignClock,
) -> Any:
    """Tiến độ các chỉ tiêu: the federation's value, goal and lagging units, per target, as of
    the campaign's today (a simulated year's, not the machine's)."""
    with answering_unknowns():
        result = await awarding.progress(
            session, campaign_code, phase_code, today(clock), campaigns
        )
    return _jsonable(result)


@router.get("/awards", response_model=list[AwardPublic])
async def list_awards(
    principal: CurrentPrincipal, session: DbSession, shown: Shown
) -> list[AwardPublic]:
    """The awards. A proposal is not an award: proposals, and the admins' rejections and
    withdrawals of them, are theirs to weigh; everyone else sees what was confirmed (and what
    was confirmed and then revoked, which was once announced)."""
    query = select(Award).where(*shown.conditions(Award))
    if not principal.is_federation_admin:
        query = query.where(col(Award.status).in_(AWARDS_ANNOUNCED))
    rows = (await session.exec(query.order_by(col(Award.phase_code)))).all()
    return [AwardPublic.model_validate(r, from_attributes=True) for r in rows]


@router.post("/awards/{award_id}/confirm", response_model=AwardPublic)
async def confirm_award(
    award_id: UUID,
    principal: FederationAdmin,
    session: DbSession,
    outbox: OutboxWriter,
    clock: CampaignClock,
) -> AwardPublic:
    """Phê duyệt khen thưởng: the proposal becomes an award; publishes `award granted` with
    status confirmed (what tells the recipient). Refused (409) when the recipient already
    holds a confirmed award of the same phase: one achievement is not rewarded twice."""
    return await _decided(session, outbox, clock, decisions.confirm, award_id, by=principal.subject)


@router.post("/awards/{award_id}/reject", response_model=AwardPublic)
async def reject_award(
    award_id: UUID,
    body: RejectIn,
    principal: FederationAdmin,
    session: DbSession,
    outbox: OutboxWriter,
    clock: CampaignClock,
) -> AwardPublic:
    """Không phê duyệt: the proposal is rejected, with the reason; publishes `award
    rejected`. The recipient, never told of the proposal, is not told either."""
    return await _decided(
        session, outbox, clock, decisions.reject, award_id, body.reason, by=principal.subject
    )


@router.post("/awards/{award_id}/revoke", response_model=AwardPublic)
async def revoke_award(
    award_id: UUID,
    body: RevokeIn,
    principal: FederationAdmin,
    session: DbSession,
    outbox: OutboxWriter,
    clock: CampaignClock,
) -> AwardPublic:
    """Thu hồi khen thưởng đã phê duyệt, with the reason (kept, with who confirmed it);
    publishes `award revoked`. A proposal is rejected, not revoked."""
    return await _decided(
        session, outbox, clock, decisions.revoke, award_id, body.reason, by=principal.subject
    )


async def _decided(
    session: AsyncSession,
    outbox: Outbox,
    clock: Clock,
    decide: Callable[..., Awaitable[Award]],
    award_id: UUID,
    *reason: str,
    by: str,
) -> AwardPublic:
    """One decision on one award in its own transaction, answered with the award as left."""
    with answering_decisions():
        async with session.begin():
            award = await decide(session, outbox, award_id, *reason, by=by, at=clock.now())
    return AwardPublic.model_validate(award, from_attributes=True)


def _jsonable(value: Any) -> Any:
    return jsonable_encoder(value)
