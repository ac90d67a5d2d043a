"""HTTP API of scoring: progress against the targets, and the award proposals a federation
admin decides: confirm (the award is granted), reject with a reason; a confirmed award may be
revoked with a reason, kept for the record."""

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends
from fastapi.encoders import jsonable_encoder
from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import col, select

from services.scoring.api.refusals import answering_unknowns
from services.scoring.service import awarding
from services.scoring.source import SOURCE
from services.scoring.tables import Award
from shared.auth import CurrentPrincipal, Principal, Role, require_roles
from shared.clock import today
from shared.contracts.bounds import Reason
from shared.contracts.vocabulary import AwardStatus
from shared.http.dependencies import CampaignClock, CampaignCodeQuery, DbSession, OutboxWriter
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
    decided_by: str | None = Field(description="Who took the last decision on it.")
    decided_at: datetime | None
    revoke_reason: str | None = Field(description="Why it was revoked (or withdrawn).")
    reject_reason: str | None = Field(description="Why the proposal was rejected.")
    confirmed_by: str | None = Field(description="Who confirmed it (kept once revoked).")
    confirmed_at: datetime | None


class ReasonIn(BaseModel):
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
    clock: CampaignClock,
) -> Any:
    """Tiến độ các chỉ tiêu: the federation's value, goal and lagging units, per target, as of
    the campaign's today (a simulated year's, not the machine's)."""
    with answering_unknowns():
        result = await awarding.progress(session, campaign_code, phase_code, today(clock))
    return _jsonable(result)


@router.get("/awards", response_model=list[AwardPublic])
async def list_awards(
    _: CurrentPrincipal,
    session: DbSession,
    campaign_code: CampaignCodeQuery,
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
    award_id: UUID,
    principal: Admin,
    session: DbSession,
    outbox: OutboxWriter,
    clock: CampaignClock,
) -> AwardPublic:
    """Phê duyệt khen thưởng: the proposal becomes an award; publishes `award granted` with
    status confirmed (what tells the recipient). Refused (409) when the recipient already
    holds a confirmed award of the same phase: one achievement is not rewarded twice."""
    async with session.begin():
        award = await _award(session, award_id, AwardStatus.proposed)
        await _not_rewarded_yet(session, award)
        grant = awarding.confirmed(award, principal.subject, clock.now())
        await outbox.add(session, new_envelope(grant, source=SOURCE, subject=str(award_id)))
    return AwardPublic.model_validate(award, from_attributes=True)


@router.post("/awards/{award_id}/reject", response_model=AwardPublic)
async def reject_award(
    award_id: UUID,
    body: RejectIn,
    principal: Admin,
    session: DbSession,
    outbox: OutboxWriter,
    clock: CampaignClock,
) -> AwardPublic:
    """Không phê duyệt: the proposal is rejected, with the reason; publishes `award
    rejected`. The recipient, never told of the proposal, is not told either."""
    async with session.begin():
        award = await _award(session, award_id, AwardStatus.proposed)
        rejected = awarding.rejected(award, body.reason, principal.subject, clock.now())
        await outbox.add(session, new_envelope(rejected, source=SOURCE, subject=str(award_id)))
    return AwardPublic.model_validate(award, from_attributes=True)


@router.post("/awards/{award_id}/revoke", response_model=AwardPublic)
async def revoke_award(
    award_id: UUID,
    body: RevokeIn,
    principal: Admin,
    session: DbSession,
    outbox: OutboxWriter,
    clock: CampaignClock,
) -> AwardPublic:
    """Thu hồi khen thưởng đã phê duyệt, with the reason (kept, with who confirmed it);
    publishes `award revoked`. A proposal is rejected, not revoked."""
    async with session.begin():
        award = await _award(session, award_id, AwardStatus.confirmed)
        award.status, award.revoke_reason = AwardStatus.revoked, body.reason
        award.decided_by, award.decided_at = principal.subject, clock.now()
        revoked = awarding.revoked(award, body.reason, award.decided_at, by=principal.subject)
        await outbox.add(session, new_envelope(revoked, source=SOURCE, subject=str(award_id)))
    return AwardPublic.model_validate(award, from_attributes=True)


_ACTIONS = {
    AwardStatus.proposed: ("xác nhận hoặc từ chối", "confirmed or rejected"),
    AwardStatus.confirmed: ("thu hồi", "revoked"),
}


async def _award(session: DbSession, award_id: UUID, expected: AwardStatus) -> Award:
    award = await session.get(Award, award_id)
    if award is None:
        raise ClientError(
            404, "award_id", "not_found", "Không tìm thấy khen thưởng", "Award not found"
        )
    if award.status != expected:
        vi, en = _ACTIONS[expected]
        raise ClientError(
            409,
            "status",
            "wrong_status",
            f"Khen thưởng đang ở trạng thái '{award.status}': chỉ khen thưởng ở trạng thái "
            f"'{expected}' mới được {vi}",
            f"The award is '{award.status}': only a '{expected}' one can be {en}",
        )
    return award


async def _not_rewarded_yet(session: DbSession, award: Award) -> None:
    """One achievement, one award: a recipient's results in a phase earn one award."""
    recipient = (award.grant["recipient_kind"], award.grant["recipient_id"])
    held = (
        await session.exec(
            select(Award).where(
                Award.campaign_code == award.campaign_code,
                Award.phase_code == award.phase_code,
                Award.status == AwardStatus.confirmed,
                Award.id != award.id,
            )
        )
    ).all()
    for other in held:
        if (other.grant["recipient_kind"], other.grant["recipient_id"]) == recipient:
            name = other.grant["award_name"]
            raise ClientError(
                409,
                "award_id",
                "already_rewarded",
                f"{award.grant['recipient_name']} đã được {name} cho thành tích của đợt này:"
                " một thành tích không khen thưởng hai lần",
                f"{award.grant['recipient_name']} already holds '{name}' for this phase's"
                " achievement: one achievement is not rewarded twice",
            )


def _jsonable(value: Any) -> Any:
    return jsonable_encoder(value)
