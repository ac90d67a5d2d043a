"""HTTP API of submissions: registrations (đăng ký thi đua).

A unit registers for movements in a phase with its own commitments: draft → submitted →
approved, or returned with a reason (then amended and submitted again). The unit's officers
draft and submit; the officers above it (or the federation) approve or return. Each act is
timed by the campaign's clock.
"""

from collections.abc import Awaitable, Callable
from datetime import datetime
from functools import partial
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel, Field, field_validator
from sqlmodel import col, select

from services.submissions.access import TreeScope
from services.submissions.registrations import service
from services.submissions.registrations.tables import Registration
from services.submissions.routing import Act, UnitActing, UnitActor
from services.submissions.units.tables import Unit
from shared.auth import Principal, ensure_can_act_for_unit
from shared.contracts.bounds import COMMITMENTS_MAX, MOVEMENTS_MAX, CampaignCode, Code, Note, Reason
from shared.contracts.vocabulary import RegistrationStatus
from shared.http.dependencies import DbSession, UnitOfWork
from shared.http.filters import PhaseStatusFilter, phase_status_filter
from shared.http.idempotency import IdempotencyKey, request_hash
from shared.http.paging import PageQuery, counted
from shared.http.request_body import RequestBody
from shared.settings import default_campaign_code
from shared.unit_tree import within_where

# ?campaign_code=&phase_code=&status= (one of RegistrationStatus's).
Shown = Annotated[PhaseStatusFilter, Depends(phase_status_filter(RegistrationStatus))]

router = APIRouter(prefix="/api/v1/registrations", tags=["registrations"])


class CommitmentIn(RequestBody):
    movement_code: Code
    text: Note = Field(min_length=5, description="Nội dung đăng ký cụ thể.")


class RegistrationIn(RequestBody):
    campaign_code: CampaignCode = Field(default_factory=default_campaign_code)
    phase_code: Code
    unit_code: Code
    movement_codes: list[Code] = Field(min_length=1, max_length=MOVEMENTS_MAX)
    commitments: list[CommitmentIn] = Field(default_factory=list, max_length=COMMITMENTS_MAX)

    @field_validator("movement_codes")
    @classmethod
    def no_repeats(cls, codes: list[str]) -> list[str]:
        return list(dict.fromkeys(codes))


class ReturnIn(RequestBody):
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
    body: RegistrationIn, acting: UnitActing, idempotency_key: IdempotencyKey = None
) -> Response:
    """Lập bản đăng ký (draft) for a unit the officer acts for; a unit's draft is replaced.
    With an `Idempotency-Key`, a retry gets the first answer and changes nothing again."""

    async def draft() -> RegistrationPublic:
        registration = await service.draft(acting.work, acting.principal, **body.model_dump())
        return _public(registration)

    return await acting.answer_once(idempotency_key, request_hash(body), 201, draft)


@router.get("", response_model=RegistrationPage)
async def list_registrations(
    principal: UnitActor,
    session: DbSession,
    shown: Shown,
    page: PageQuery,
    under: Annotated[str | None, Query(description="Units in this subtree")] = None,
) -> RegistrationPage:
    """Registrations of the units the caller acts for (all, for the federation)."""
    root_code = under or principal.unit_code
    if not principal.is_federation_admin:
        await ensure_can_act_for_unit(principal, root_code, TreeScope(session), field="under")
    root = await session.get(Unit, root_code)
    query = (
        select(Registration)
        .join(Unit, col(Unit.code) == col(Registration.unit_code))
        .where(*shown.conditions(Registration))
    )
    if root is not None and (under or not principal.is_federation_admin):
        query = query.where(within_where(col(Unit.path), root.path))
    rows, total = await counted(session, query, col(Unit.path), page)
    items = [_public(r) for r in rows]
    return RegistrationPage(items=items, total=total, limit=page.limit, offset=page.offset)


@router.post("/{registration_id}/submit", response_model=RegistrationPublic)
async def submit_registration(registration_id: UUID, acting: UnitActing) -> RegistrationPublic:
    """Gửi đăng ký lên cấp trên; publishes `registration submitted`."""
    return await _move(acting, service.submit, registration_id)


@router.post("/{registration_id}/approve", response_model=RegistrationPublic)
async def approve_registration(registration_id: UUID, acting: UnitActing) -> RegistrationPublic:
    """Duyệt đăng ký (the level above); publishes `registration approved`."""
    return await _move(acting, service.approve, registration_id)


@router.post("/{registration_id}/return", response_model=RegistrationPublic)
async def return_registration(
    registration_id: UUID, body: ReturnIn, acting: UnitActing
) -> RegistrationPublic:
    """Trả lại đăng ký với lý do; publishes `registration returned`."""
    return await _move(acting, partial(service.return_, reason=body.reason), registration_id)


# A use case that moves a registration on: (work, principal, registration_id).
Move = Callable[[UnitOfWork, Principal, UUID], Awaitable[Registration]]


async def _move(acting: Act, move: Move, registration_id: UUID) -> RegistrationPublic:
    async with acting.work.session.begin():
        registration = await move(acting.work, acting.principal, registration_id)
    return _public(registration)


def _public(registration: Registration) -> RegistrationPublic:
    return RegistrationPublic.model_validate(registration, from_attributes=True)
