"""HTTP API of submissions: registrations (đăng ký thi đua).

A unit registers for movements in a phase with its own commitments: draft → submitted →
approved, or returned with a reason (then amended and submitted again). The unit's officers
draft and submit; the officers above it (or the federation) approve or return. Each act is
timed by the campaign's clock.
"""

from datetime import datetime
from typing import Annotated
from uuid import UUID, uuid4

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field, field_validator
from sqlmodel import col, func, select

from services.submissions.access import TreeScope, existing_unit
from services.submissions.campaigns.lifecycle import accepting_phase, campaign_definition
from services.submissions.db import idempotency_keys
from services.submissions.registrations.tables import Registration
from services.submissions.units.tables import Unit
from shared.auth import CurrentPrincipal, Principal, can_act_for_unit, ensure_can_act_for_unit
from shared.contracts import (
    Commitment,
    RegistrationApproved,
    RegistrationReturned,
    RegistrationSubmitted,
)
from shared.contracts.bounds import COMMITMENTS_MAX, MOVEMENTS_MAX, CampaignCode, Code, Note, Reason
from shared.http.dependencies import CampaignClock, DbSession, OutboxWriter
from shared.http.errors import ClientError
from shared.http.idempotency import IdempotencyKey, IdempotentRequest, request_hash
from shared.messaging.cloudevents import new_envelope
from shared.messaging.outbox import Outbox

router = APIRouter(prefix="/api/v1/registrations", tags=["registrations"])
SOURCE = "/thidua/submissions"
DRAFT, SUBMITTED, RETURNED, APPROVED = "draft", "submitted", "returned", "approved"


class CommitmentIn(BaseModel):
    movement_code: Code
    text: Note = Field(min_length=5, description="Nội dung đăng ký cụ thể.")


class RegistrationIn(BaseModel):
    campaign_code: CampaignCode = "2022"
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
        await _check(session, principal, body)
        registration = (
            await session.exec(
                select(Registration).where(
                    Registration.campaign_code == body.campaign_code,
                    Registration.phase_code == body.phase_code,
                    Registration.unit_code == body.unit_code,
                )
            )
        ).first()
        now = clock.now()
        if registration is None:
            registration = Registration(
                id=uuid4(),
                status=DRAFT,
                created_by=principal.subject,
                created_at=now,
                campaign_code=body.campaign_code,
                phase_code=body.phase_code,
                unit_code=body.unit_code,
                movement_codes=[],
                commitments=[],
                updated_by=principal.subject,
                updated_at=now,
            )
            session.add(registration)
        elif registration.status not in (DRAFT, RETURNED):
            raise _conflict(registration, "sửa", "amended")
        registration.movement_codes = body.movement_codes
        registration.commitments = [c.model_dump() for c in body.commitments]
        registration.updated_by, registration.updated_at = principal.subject, now
        answer = await once.answer(
            session, 201, RegistrationPublic.model_validate(registration, from_attributes=True)
        )
    return answer


@router.get("", response_model=RegistrationPage)
async def list_registrations(
    principal: CurrentPrincipal,
    session: DbSession,
    campaign_code: str = "2022",
    phase_code: str | None = None,
    status: str | None = None,
    under: Annotated[str | None, Query(description="Units in this subtree")] = None,
    limit: int = Query(default=50, ge=1, le=500),
    offset: int = Query(default=0, ge=0),
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
        registration = await _get(session, registration_id)
        await ensure_can_act_for_unit(principal, registration.unit_code, TreeScope(session))
        if registration.status not in (DRAFT, RETURNED):
            raise _conflict(registration, "gửi", "submitted")
        await accepting_phase(session, registration.campaign_code, registration.phase_code)
        await _move(session, outbox, registration, SUBMITTED, principal, clock.now())
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
        registration = await _get(session, registration_id)
        await _ensure_above(session, principal, registration)
        if registration.status != SUBMITTED:
            raise _conflict(registration, "duyệt", "approved")
        await _move(session, outbox, registration, APPROVED, principal, clock.now())
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
        registration = await _get(session, registration_id)
        await _ensure_above(session, principal, registration)
        if registration.status != SUBMITTED:
            raise _conflict(registration, "trả lại", "returned")
        registration.return_reason = body.reason
        await _move(session, outbox, registration, RETURNED, principal, clock.now())
    return RegistrationPublic.model_validate(registration, from_attributes=True)


async def _check(session: DbSession, principal: Principal, body: RegistrationIn) -> None:
    await existing_unit(session, body.unit_code)
    await ensure_can_act_for_unit(principal, body.unit_code, TreeScope(session))
    await accepting_phase(session, body.campaign_code, body.phase_code)
    campaign = await campaign_definition(session, body.campaign_code)
    movements = {m.code for m in campaign.movements}
    for index, code in enumerate(body.movement_codes):
        if code not in movements:
            raise ClientError(
                422,
                f"movement_codes.{index}",
                "unknown_movement",
                f"Không có phong trào mã {code} trong kế hoạch {campaign.code}",
                f"No movement {code} in campaign {campaign.code}",
            )
    for index, commitment in enumerate(body.commitments):
        if commitment.movement_code not in body.movement_codes:
            raise ClientError(
                422,
                f"commitments.{index}.movement_code",
                "not_registered",
                "Nội dung đăng ký phải thuộc một phong trào đã chọn",
                "A commitment must belong to one of the chosen movements",
            )


async def _ensure_above(
    session: DbSession, principal: Principal, registration: Registration
) -> None:
    """The approver is the federation or an officer of a unit above the registering unit:
    an officer does not approve their own unit's commitments."""
    unit = await existing_unit(session, registration.unit_code)
    above = unit.parent_code
    if principal.is_federation_admin or (
        above is not None
        and await can_act_for_unit(principal, above, TreeScope(session))
        and principal.unit_code != unit.code
    ):
        return
    await ensure_can_act_for_unit(principal, above or "", TreeScope(session), field="unit_code")


async def _move(
    session: DbSession,
    outbox: Outbox,
    registration: Registration,
    status: str,
    principal: Principal,
    now: datetime,
) -> None:
    registration.status, registration.updated_by, registration.updated_at = (
        status,
        principal.subject,
        now,
    )
    common = {
        "registration_id": registration.id,
        "campaign_code": registration.campaign_code,
        "phase_code": registration.phase_code,
        "unit_code": registration.unit_code,
        "movement_codes": tuple(registration.movement_codes),
        "commitments": tuple(Commitment(**c) for c in registration.commitments),
        "actor": principal.subject,
        "at": now,
    }
    event: RegistrationSubmitted | RegistrationApproved | RegistrationReturned
    if status == SUBMITTED:
        event = RegistrationSubmitted(**common)
    elif status == APPROVED:
        event = RegistrationApproved(**common)
    else:
        event = RegistrationReturned(**common, reason=registration.return_reason or "")
    await outbox.add(session, new_envelope(event, source=SOURCE, subject=str(registration.id)))


async def _get(session: DbSession, registration_id: UUID) -> Registration:
    registration = await session.get(Registration, registration_id)
    if registration is None:
        raise ClientError(
            404,
            "registration_id",
            "not_found",
            "Không tìm thấy bản đăng ký",
            "Registration not found",
        )
    return registration


def _conflict(registration: Registration, action_vi: str, action_en: str) -> ClientError:
    return ClientError(
        409,
        "status",
        "wrong_status",
        f"Bản đăng ký đang ở trạng thái '{registration.status}', không thể {action_vi}",
        f"The registration is '{registration.status}' and cannot be {action_en}",
    )
