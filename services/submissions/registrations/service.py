"""Use cases of registrations (đăng ký thi đua): draft → submitted → approved, or returned
with a reason (then amended and submitted again). Each takes the unit of work (the session of
the caller's transaction, the outbox, the campaign's clock and files) and who acts; the unit's
officers draft and submit, the officers above it (or the federation) approve or return."""

from uuid import UUID, uuid4

from sqlmodel.ext.asyncio.session import AsyncSession

from services.submissions.access import TreeScope, existing_unit, locked, unit_acted_for
from services.submissions.campaigns.service import accepting_phase, accepting_phase_of
from services.submissions.registrations.tables import Registration
from services.submissions.source import SOURCE
from shared.auth import Principal, can_act_for_unit, ensure_can_act_for_unit
from shared.campaign.model import Campaign
from shared.contracts import (
    RegistrationApproved,
    RegistrationReturned,
    RegistrationSubmitted,
)
from shared.contracts.vocabulary import REGISTRATION_CHANGEABLE, RegistrationStatus
from shared.http.dependencies import UnitOfWork
from shared.messaging.cloudevents import new_envelope
from shared.refusals import Kind, Refusal
from shared.upsert import locked_or_added

DRAFT, SUBMITTED = RegistrationStatus.draft, RegistrationStatus.submitted
RETURNED, APPROVED = RegistrationStatus.returned, RegistrationStatus.approved


async def draft(
    work: UnitOfWork,
    principal: Principal,
    *,
    campaign_code: str,
    phase_code: str,
    unit_code: str,
    movement_codes: list[str],
    commitments: list[dict[str, str]],
) -> Registration:
    """Lập bản đăng ký for a unit the officer acts for; the unit's draft is replaced."""
    session, now = work.session, work.clock.now()
    await unit_acted_for(session, principal, unit_code)
    _, campaign = await accepting_phase_of(session, work.campaigns, campaign_code, phase_code)
    _check_choices(campaign, movement_codes, commitments)
    registration = await locked_or_added(
        session,
        Registration(
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
        ),
        ("campaign_code", "phase_code", "unit_code"),
    )
    if registration.status not in REGISTRATION_CHANGEABLE:
        raise _conflict(registration, "sửa", "amended")
    registration.movement_codes = movement_codes
    registration.commitments = commitments
    registration.updated_by, registration.updated_at = principal.subject, now
    return registration


async def submit(work: UnitOfWork, principal: Principal, registration_id: UUID) -> Registration:
    """Gửi đăng ký lên cấp trên; publishes `registration submitted`."""
    session = work.session
    registration = await _get(session, registration_id)
    await ensure_can_act_for_unit(principal, registration.unit_code, TreeScope(session))
    if registration.status not in REGISTRATION_CHANGEABLE:
        raise _conflict(registration, "gửi", "submitted")
    await accepting_phase(session, registration.campaign_code, registration.phase_code)
    await _move(work, registration, SUBMITTED, principal)
    return registration


async def approve(work: UnitOfWork, principal: Principal, registration_id: UUID) -> Registration:
    """Duyệt đăng ký (the level above); publishes `registration approved`."""
    registration = await _to_decide(work, principal, registration_id, "duyệt", "approved")
    await _move(work, registration, APPROVED, principal)
    return registration


async def return_(
    work: UnitOfWork, principal: Principal, registration_id: UUID, reason: str
) -> Registration:
    """Trả lại đăng ký với lý do; publishes `registration returned`."""
    registration = await _to_decide(work, principal, registration_id, "trả lại", "returned")
    registration.return_reason = reason
    await _move(work, registration, RETURNED, principal)
    return registration


def _check_choices(
    campaign: Campaign, movement_codes: list[str], commitments: list[dict[str, str]]
) -> None:
    """The movements are the campaign's, and each commitment is to one of them."""
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


async def _to_decide(
    work: UnitOfWork,
    principal: Principal,
    registration_id: UUID,
    action_vi: str,
    action_en: str,
) -> Registration:
    """A submitted registration that the principal, above its unit, approves or returns."""
    registration = await _get(work.session, registration_id)
    await _ensure_above(work.session, principal, registration)
    if registration.status != SUBMITTED:
        raise _conflict(registration, action_vi, action_en)
    return registration


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
    work: UnitOfWork, registration: Registration, status: str, principal: Principal
) -> None:
    now = work.clock.now()
    registration.status, registration.updated_by, registration.updated_at = (
        status,
        principal.subject,
        now,
    )
    act = {"registration_id": registration.id, "actor": principal.subject, "at": now}
    event: RegistrationSubmitted | RegistrationApproved | RegistrationReturned
    if status == SUBMITTED:
        event = RegistrationSubmitted.of(registration, **act)
    elif status == APPROVED:
        event = RegistrationApproved.of(registration, **act)
    else:
        reason = registration.return_reason or ""
        event = RegistrationReturned.of(registration, **act, reason=reason)
    await work.outbox.add(
        work.session, new_envelope(event, source=SOURCE, subject=str(registration.id))
    )


async def _get(session: AsyncSession, registration_id: UUID) -> Registration:
    return await locked(
        session, Registration, registration_id, "registration_id", "bản đăng ký", "Registration"
    )


def _conflict(registration: Registration, action_vi: str, action_en: str) -> Refusal:
    return Refusal(
        Kind.conflict,
        "status",
        "wrong_status",
        f"Bản đăng ký đang ở trạng thái '{registration.status}', không thể {action_vi}",
        f"The registration is '{registration.status}' and cannot be {action_en}",
    )
