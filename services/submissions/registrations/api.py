"""HTTP API of submissions: registrations (đăng ký thi đua).

A unit registers for movements in a phase with its own commitments: draft → submitted →
approved, or returned with a reason (then amended and submitted again). The unit's officers
draft and submit; the officers above it (or the federation) approve or return. Each act is
timed by the campaign's clock.
"""

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field, field_validator
from sqlmodel import col, func, select

from services.submissions.access import TreeScope
from services.submissions.db import idempotency_keys
from services.submissions.registrations import service
from services.submissions.registrations.tables import Registration
from services.submissions.units.tables import Unit
from shared.auth import CurrentPrincipal, ensure_can_act_for_unit
from shared.contracts.bounds import COMMITMENTS_MAX, MOVEMENTS_MAX, CampaignCode, Code, Note, Reason
from shared.http.dependencies import (
    CampaignClock,
    CampaignCodeQuery,
    Campaigns,
    DbSession,
    OutboxWriter,
)
from shared.http.idempotency import IdempotencyKey, IdempotentRequest, request_hash
from shared.http.paging import Offset, limit_query
from shared.settings import default_campaign_code

router = APIRouter(prefix="/api/v1/registrations", tags=["registrations"])


class CommitmentIn(BaseModel):
    movement_code: Code
    text: Note = Field(min_length=5, description="Nội dung đăng ký cụ thể.")


class RegistrationIn(BaseModel):
    campaign_code: CampaignCode = Field(default_factory=default_campaign_code)
    phase_code: Code
    unit_code: Code
    movement_codes: list[Code] = Field(min_length=1, max_length=MOVEMENTS_MAX)
    commitments: list[CommitmentIn] = Field(default_factory=list, max_length=COMMITMENTS_MAX)

    @field_validator("movement_codes")
    @classmethod
    def no_repeats(cls, codes: list[str]) -> list[str]:
        return list(dict.fromkeys(codes))


class ReturnIn(BaseModel):
    reason: Reason = Field(min_length=5, description="Lý do trả lại.")


class RegistrationPublic(BaseModel):
    id: UUID
    campaign_code: str
    phase_code: str
    unit_code: str
    movement_codes: list[str]
    commitments: list[CommitmentIn]
    status: str
    return_reason: str | None
    created_by: str
    updated_by: str
    created_at: datetime
    updated_at: datetime


class RegistrationPage(BaseModel):
    items: list[RegistrationPublic]
    total: int
    limit: int
    offset: int


@router.post("", status_code=201, response_model=RegistrationPublic)
async def draft_registration(
    body: RegistrationIn,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: CampaignClock,
    campaigns: Campaigns,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Lập bản đăng ký (draft) for a unit the officer acts for; a unit's draft is replaced.
    With an `Idempotency-Key`, a retry gets the first answer and changes nothing again."""
    once = IdempotentRequest(
        idempotency_keys, principal.subject, idempotency_key, request_hash(body)
    )
    async with session.begin():
        if (earlier := await once.earlier(session)) is not None:
            return earlier
        registration = await service.draft(
            session, principal, clock.now(), **body.model_dump(), campaigns=campaigns
        )
        answer = await once.answer(
            session, 201, RegistrationPublic.model_validate(registration, from_attributes=True)
        )
    return answer


@router.get("", response_model=RegistrationPage)
async def list_registrations(
    principal: CurrentPrincipal,
    session: DbSession,
    campaign_code: CampaignCodeQuery,
    phase_code: str | None = None,
    status: str | None = None,
    under: Annotated[str | None, Query(description="Units in this subtree")] = None,
    limit: int = limit_query(50),
    offset: Offset = 0,
) -> RegistrationPage:
    """Registrations of the units the caller acts for (all, for the federation)."""
    root_code = under or principal.unit_code
    if not principal.is_federation_admin:
        await ensure_can_act_for_unit(principal, root_code, TreeScope(session), field="under")
    root = await session.get(Unit, root_code)
    query = (
        select(Registration)
        .join(Unit, col(Unit.code) == col(Registration.unit_code))
        .where(Registration.campaign_code == campaign_code)
    )
    if root is not None and (under or not principal.is_federation_admin):
        query = query.where(col(Unit.path).startswith(root.path))
    if phase_code:
        query = query.where(Registration.phase_code == phase_code)
    if status:
        query = query.where(Registration.status == status)
    total = await session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = (await session.exec(query.order_by(col(Unit.path)).offset(offset).limit(limit))).all()
    return RegistrationPage(
        items=[RegistrationPublic.model_validate(r, from_attributes=True) for r in rows],
        total=total,
        limit=limit,
        offset=offset,
    )


@router.post("/{registration_id}/submit", response_model=RegistrationPublic)
async def submit_registration(
    registration_id: UUID,
    principal: CurrentPrincipal,
    session: DbSession,
    outbox: OutboxWriter,
    clock: CampaignClock,
) -> RegistrationPublic:
    """Gửi đăng ký lên cấp trên; publishes `registration submitted`."""
    async with session.begin():
        registration = await service.submit(
            session, outbox, principal, clock.now(), registration_id
        )
    return RegistrationPublic.model_validate(registration, from_attributes=True)


@router.post("/{registration_id}/approve", response_model=RegistrationPublic)
async def approve_registration(
    registration_id: UUID,
    principal: CurrentPrincipal,
    session: DbSession,
    outbox: OutboxWriter,
    clock: CampaignClock,
) -> RegistrationPublic:
    """Duyệt đăng ký (the level above); publishes `registration approved`."""
    async with session.begin():
        registration = await service.approve(
            session, outbox, principal, clock.now(), registration_id
        )
    return RegistrationPublic.model_validate(registration, from_attributes=True)


@router.post("/{registration_id}/return", response_model=RegistrationPublic)
async def return_registration(
    registration_id: UUID,
    body: ReturnIn,
    principal: CurrentPrincipal,
    session: DbSession,
    outbox: OutboxWriter,
    clock: CampaignClock,
) -> RegistrationPublic:
    """Trả lại đăng ký với lý do; publishes `registration returned`."""
    async with session.begin():
        registration = await service.return_(
            session, outbox, principal, clock.now(), registration_id, body.reason
        )
    return RegistrationPublic.model_validate(registration, from_attributes=True)
