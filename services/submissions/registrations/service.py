"""Use cases of registrations (đăng ký thi đua): draft → submitted → approved, or returned
with a reason (then amended and submitted again). Each takes the session (the caller's
transaction), the outbox, who acts and when; the unit's officers draft and submit, the
officers above it (or the federation) approve or return."""

from datetime import datetime
from uuid import UUID, uuid4

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.submissions.access import TreeScope, existing_unit
from services.submissions.campaigns.service import accepting_phase, accepting_phase_of
from services.submissions.registrations.tables import Registration
from services.submissions.source import SOURCE
from shared.auth import Principal, can_act_for_unit, ensure_can_act_for_unit
from shared.campaign.cache import CampaignCache
from shared.contracts import (
    Commitment,
    RegistrationApproved,
    RegistrationReturned,
    RegistrationSubmitted,
)
from shared.contracts.vocabulary import RegistrationStatus
from shared.messaging.cloudevents import new_envelope
from shared.messaging.outbox import Outbox
from shared.refusals import Kind, Refusal

DRAFT, SUBMITTED = RegistrationStatus.draft, RegistrationStatus.submitted
RETURNED, APPROVED = RegistrationStatus.returned, RegistrationStatus.approved
CHANGEABLE = (DRAFT, RETURNED)


async def draft(
    session: AsyncSession,
    principal: Principal,
    now: datetime,
    *,
    campaign_code: str,
    phase_code: str,
    unit_code: str,
    movement_codes: list[str],
    commitments: list[dict[str, str]],
    campaigns: CampaignCache,
) -> Registration:
    """Lập bản đăng ký for a unit the officer acts for; the unit's draft is replaced."""
    await _check(
        session,
        principal,
        campaign_code,
        phase_code,
        unit_code,
        movement_codes,
        commitments,
        campaigns,
    )
    registration = (
        await session.exec(
            select(Registration).where(
                Registration.campaign_code == campaign_code,
                Registration.phase_code == phase_code,
                Registration.unit_code == unit_code,
            )
        )
    ).first()
    if registration is None:
        registration = Registration(
            id=uuid4(),
            status=DRAFT,
            created_by=principal.subject,
            created_at=now,
            campaign_code=campaign_code,
            phase_code=phase_code,
            unit_code=unit_code,
            movement_codes=[],
            commitments=[],
            updated_by=principal.subject,
            updated_at=now,
        )
        session.add(registration)
    elif registration.status not in CHANGEABLE:
        raise _conflict(registration, "sửa", "amended")
    registration.movement_codes = movement_codes
    registration.commitments = commitments
    registration.updated_by, registration.updated_at = principal.subject, now
    return registration


async def submit(
    session: AsyncSession,
    outbox: Outbox,
    principal: Principal,
    now: datetime,
    registration_id: UUID,
) -> Registration:
    """Gửi đăng ký lên cấp trên; publishes `registration submitted`."""
    registration = await _get(session, registration_id)
    await ensure_can_act_for_unit(principal, registration.unit_code, TreeScope(session))
    if registration.status not in CHANGEABLE:
        raise _conflict(registration, "gửi", "submitted")
    await accepting_phase(session, registration.campaign_code, registration.phase_code)
    await _move(session, outbox, registration, SUBMITTED, principal, now)
    return registration


async def approve(
    session: AsyncSession,
    outbox: Outbox,
    principal: Principal,
    now: datetime,
    registration_id: UUID,
) -> Registration:
    """Duyệt đăng ký (the level above); publishes `registration approved`."""
    registration = await _get(session, registration_id)
    await _ensure_above(session, principal, registration)
    if registration.status != SUBMITTED:
        raise _conflict(registration, "duyệt", "approved")
    await _move(session, outbox, registration, APPROVED, principal, now)
    return registration


async def return_(
    session: AsyncSession,
    outbox: Outbox,
    principal: Principal,
    now: datetime,
    registration_id: UUID,
    reason: str,
) -> Registration:
    """Trả lại đăng ký với lý do; publishes `registration returned`."""
    registration = await _get(session, registration_id)
    await _ensure_above(session, principal, registration)
    if registration.status != SUBMITTED:
        raise _conflict(registration, "trả lại", "returned")
    registration.return_reason = reason
    await _move(session, outbox, registration, RETURNED, principal, now)
    return registration


async def _check(
    session: AsyncSession,
    principal: Principal,
    campaign_code: str,
    phase_code: str,
    unit_code: str,
    movement_codes: list[str],
    commitments: list[dict[str, str]],
    campaigns: CampaignCache,
) -> None:
    await existing_unit(session, unit_code)
    await ensure_can_act_for_unit(principal, unit_code, TreeScope(session))
    _, campaign = await accepting_phase_of(session, campaigns, campaign_code, phase_code)
    movements = {m.code for m in campaign.movements}
    for index, code in enumerate(movement_codes):
        if code not in movements:
            raise Refusal(
                Kind.invalid,
                f"movement_codes.{index}",
                "unknown_movement",
                f"Không có phong trào mã {code} trong kế hoạch {campaign.code}",
                f"No movement {code} in campaign {campaign.code}",
            )
    for index, commitment in enumerate(commitments):
        if commitment["movement_code"] not in movement_codes:
            raise Refusal(
                Kind.invalid,
                f"commitments.{index}.movement_code",
                "not_registered",
                "Nội dung đăng ký phải thuộc một phong trào đã chọn",
                "A commitment must belong to one of the chosen movements",
            )


async def _ensure_above(
    session: AsyncSession, principal: Principal, registration: Registration
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
    session: AsyncSession,
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


async def _get(session: AsyncSession, registration_id: UUID) -> Registration:
    # Locked: two officers acting on one registration at once act one after the other.
    registration = await session.get(Registration, registration_id, with_for_update=True)
    if registration is None:
        raise Refusal(
            Kind.not_found,
            "registration_id",
            "not_found",
            "Không tìm thấy bản đăng ký",
            "Registration not found",
        )
    return registration


def _conflict(registration: Registration, action_vi: str, action_en: str) -> Refusal:
    return Refusal(
        Kind.conflict,
        "status",
        "wrong_status",
        f"Bản đăng ký đang ở trạng thái '{registration.status}', không thể {action_vi}",
        f"The registration is '{registration.status}' and cannot be {action_en}",
    )
