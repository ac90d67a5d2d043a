"""A federation admin's decisions on awards: confirm a proposal (the award is granted),
reject it with a reason, revoke a confirmed award with a reason (kept, with who confirmed
it). Each takes the unit of work and the outbox, locks the award, checks the decision is
allowed, stores it and publishes it; a refusal is a `DecisionRefused`, which the route
answers as a 4xx."""

from datetime import datetime
from uuid import UUID

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.scoring.service.awarding import confirmed, locked_phase, rejected, revoked
from services.scoring.source import SOURCE
from services.scoring.tables import Award
from shared.contracts import EventData
from shared.contracts.vocabulary import AwardStatus
from shared.messaging.cloudevents import new_envelope
from shared.messaging.outbox import Outbox


class DecisionRefused(Exception):
    """The decision cannot be taken: `code` is not_found, wrong_status or already_rewarded."""

    def __init__(self, field: str, code: str, message_vi: str, message_en: str) -> None:
        super().__init__(message_en)
        self.field, self.code = field, code
        self.message_vi, self.message_en = message_vi, message_en


async def confirm(
    session: AsyncSession, outbox: Outbox, award_id: UUID, *, by: str, at: datetime
) -> Award:
    """The proposal becomes an award; publishes `award granted` with status confirmed (what
    tells the recipient), unless the recipient already holds a confirmed award of the same
    phase: one achievement is not rewarded twice."""
    award = await _award(session, award_id, AwardStatus.proposed)
    await _not_rewarded_yet(session, award)
    return await _published(session, outbox, award, confirmed(award, by, _after(award, at)))


async def reject(
    session: AsyncSession, outbox: Outbox, award_id: UUID, reason: str, *, by: str, at: datetime
) -> Award:
    """The proposal is rejected, with the reason; publishes `award rejected`."""
    award = await _award(session, award_id, AwardStatus.proposed)
    return await _published(session, outbox, award, rejected(award, reason, by, _after(award, at)))


async def revoke(
    session: AsyncSession, outbox: Outbox, award_id: UUID, reason: str, *, by: str, at: datetime
) -> Award:
    """A confirmed award is revoked, with the reason; publishes `award revoked`."""
    award = await _award(session, award_id, AwardStatus.confirmed)
    at = _after(award, at)
    award.status, award.revoke_reason = AwardStatus.revoked, reason
    award.decided_by, award.decided_at = by, at
    return await _published(session, outbox, award, revoked(award, reason, at, by=by))


def _after(award: Award, at: datetime) -> datetime:
    """A decision's time, never before what it decides on: who keeps an award's newest word
    (reporting) compares them. The proposal is on the clock of the close (submissions'), the
    decision on scoring's; two processes' simulated clocks (THIDUA_CLOCK_TODAY) each start at
    their own start, so scoring's may run behind, and a confirmation stamped before its
    proposal was kept as the older word."""
    last = max(
        (t for t in (datetime.fromisoformat(award.grant["at"]), award.decided_at) if t),
        default=at,
    )
    return max(at, last)


async def _published(
    session: AsyncSession, outbox: Outbox, award: Award, event: EventData
) -> Award:
    """The decided award, its decision's event added to the outbox."""
    await outbox.add(session, new_envelope(event, source=SOURCE, subject=str(award.id)))
    return award


# What may be done to an award in each status, for the refusal's wording.
_ACTIONS = {
    AwardStatus.proposed: ("xác nhận hoặc từ chối", "confirmed or rejected"),
    AwardStatus.confirmed: ("thu hồi", "revoked"),
}


async def _award(session: AsyncSession, award_id: UUID, expected: AwardStatus) -> Award:
    # Locked until the decision commits, its phase's close first (awarding.locked_phase): two
    # decisions of a phase, or a decision and a computation of the close, are taken in turn.
    phase = (
        await session.exec(
            select(Award.campaign_code, Award.phase_code).where(Award.id == award_id)
        )
    ).first()
    if phase is not None:
        await locked_phase(session, *phase)
    award = await session.get(Award, award_id, with_for_update=True)
    if award is None:
        raise DecisionRefused(
            "award_id", "not_found", "Không tìm thấy khen thưởng", "Award not found"
        )
    if award.status != expected:
        vi, en = _ACTIONS[expected]
        # In the words of the vocabulary, not its codes; "đề nghị khen thưởng" covers a
        # proposal and what was decided on it (a proposal is not an award).
        now, wanted = AwardStatus(award.status), expected
        raise DecisionRefused(
            "status",
            "wrong_status",
            f"Đề nghị khen thưởng đang ở trạng thái «{now.label_vi}»: chỉ đề nghị ở trạng thái "
            f"«{wanted.label_vi}» mới được {vi}",
            f"The award proposal is “{now.label_en}”: only one “{wanted.label_en}” can be {en}",
        )
    return award


async def _not_rewarded_yet(session: AsyncSession, award: Award) -> None:
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
            raise DecisionRefused(
                "award_id",
                "already_rewarded",
                f"{award.grant['recipient_name']} đã được {name} cho thành tích của đợt này:"
                " một thành tích không khen thưởng hai lần",
                f"{award.grant['recipient_name']} already holds '{name}' for this phase's"
                " achievement: one achievement is not rewarded twice",
            )
