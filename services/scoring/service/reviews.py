"""Reviews as stored: rebuilt from their actions, acted on through the council domain, and
their decisions published through the outbox."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.scoring.domain.council import (
    CouncilAssigned,
    Initiative,
    Review,
    ScoreRecorded,
    Status,
    refuse,
)
from services.scoring.service.awarding import recompute_stale, record_fact, validated
from services.scoring.source import SOURCE
from services.scoring.tables import Act, CampaignCopy, ReviewAction, ReviewRecord
from shared.campaign.cache import CampaignCache
from shared.clock import Clock, today
from shared.contracts import (
    InitiativeCouncilAssigned,
    InitiativeNotRecognised,
    InitiativeRecognised,
    InitiativeReturned,
    InitiativeReviewed,
    lifecycle,
)
from shared.contracts.lifecycle import InitiativeStatus
from shared.messaging.cloudevents import new_envelope
from shared.messaging.outbox import Outbox

DECISIONS = (InitiativeReturned, InitiativeRecognised, InitiativeNotRecognised)


async def load(
    session: AsyncSession, initiative_id: UUID, campaigns: CampaignCache | None = None
) -> tuple[ReviewRecord, Review]:
    # Locked until the act commits: a consumer applying a withdrawal or a resubmission to the
    # same row waits, then sees the act's outcome (else one of the two writes is lost).
    record = await session.get(ReviewRecord, initiative_id, with_for_update=True)
    if record is None or record.status == InitiativeStatus.withdrawn:
        refuse("initiative_id", "not_found")
    campaign = await session.get(CampaignCopy, record.campaign_code)
    if campaign is None:
        refuse("campaign_code", "campaign_unknown", campaign_code=record.campaign_code)
    initiative = Initiative(
        initiative_id=record.initiative_id,
        campaign_code=record.campaign_code,
        phase_code=record.phase_code,
        unit_code=record.unit_code,
        title=record.title,
        author_ids=tuple(record.author_ids),
        confidential=record.confidential,
    )
    review = Review(
        initiative=initiative,
        rules=validated(record.campaign_code, campaign.definition, campaigns).initiative_review,
    )
    actions = (
        await session.exec(
            select(ReviewAction)
            .where(ReviewAction.initiative_id == initiative_id)
            .where(ReviewAction.round == record.round)
            .order_by(col(ReviewAction.id))
        )
    ).all()
    # The round's acts are replayed as the facts they were, not judged again against the
    # authors as they now stand: an amendment that submissions accepted while the council was
    # being seated (it had not heard yet) made a reviewer an author, and the replayed seating
    # then refused every later act (score, new council, return) with 'author_as_reviewer',
    # the initiative under review for good. New acts are judged against today's authors.
    for action in actions:
        review, _ = _apply(
            review, action.kind, action.actor, action.payload, action.at, replaying=True
        )
    held = InitiativeStatus(record.status)
    if held in lifecycle.VERDICTS and life_status(review.status, record.round) not in (
        lifecycle.VERDICTS
    ):
        # Decided, yet its acts replayed against today's authors no longer decide (an
        # amendment crossing the council made a member an author after their verdict): what
        # was decided and announced stands.
        refuse(
            "status", "already_decided", outcome_vi=held.label_vi.lower(), outcome_en=held.label_en
        )
    return record, review


async def act(
    session: AsyncSession,
    outbox: Outbox,
    initiative_id: UUID,
    kind: str,
    actor: str,
    payload: dict[str, Any],
    *,
    clock: Clock,
    campaigns: CampaignCache | None = None,
    loaded: tuple[ReviewRecord, Review] | None = None,
) -> Review:
    """Apply one act; store it; publish what it did (a council seated, a score recorded,
    the decision it leads to), each naming the round. `loaded`: what `load` gave in this
    transaction (the row locked), when the caller has it already."""
    record, review = loaded or await load(session, initiative_id, campaigns)
    now = clock.now()
    review, events = _apply(review, kind, actor, payload, now)
    session.add(
        ReviewAction(
            initiative_id=initiative_id,
            kind=kind,
            actor=actor,
            payload=payload,
            at=now,
            round=record.round,
        )
    )
    record.status = life_status(review.status, record.round)
    record.council = list(review.council)
    record.scored_by = [card.reviewer_id for card in review.scorecards]
    record.updated_at = now
    stamp = {"round": record.round, "decided_on": today(clock)}
    decisions = [
        new_envelope(e.model_copy(update=stamp), source=SOURCE, subject=str(initiative_id))
        for e in events
        if isinstance(e, DECISIONS)
    ]
    # Which initiative and round each event is about, as the review's row states them.
    about: dict[str, Any] = {
        "initiative_id": initiative_id,
        "campaign_code": record.campaign_code,
        "phase_code": record.phase_code,
        "unit_code": record.unit_code,
        "round": record.round,
    }
    seated = [
        InitiativeCouncilAssigned(
            **about,
            title=record.title,
            author_ids=tuple(record.author_ids),
            reviewer_ids=e.reviewer_ids,
            assigned_by=e.by,
            assigned_at=e.at,
        )
        for e in events
        if isinstance(e, CouncilAssigned)
    ]
    reviewed = [
        InitiativeReviewed(
            **about,
            reviewer_id=e.reviewer_id,
            revised=e.revised,
            scored=len(review.scorecards),
            council_size=len(review.council),
            at=e.at,
        )
        for e in events
        if isinstance(e, ScoreRecorded)
    ]
    told = [*seated, *reviewed]
    if told:
        await outbox.add(
            session, *(new_envelope(e, source=SOURCE, subject=str(initiative_id)) for e in told)
        )
    if decisions:
        await outbox.add(session, *decisions)
        for decision in decisions:  # recognised initiatives count towards targets and awards
            await record_fact(session, decision)
        # A decision after its phase's close.
        await recompute_stale(session, outbox, campaigns, clock=clock)
    return review


def _apply(
    review: Review,
    kind: str,
    actor: str,
    payload: dict[str, Any],
    at: datetime,
    *,
    replaying: bool = False,
) -> tuple[Review, Sequence[object]]:
    if kind == Act.assign:
        return review.assign(payload["reviewer_ids"], actor, at=at, replaying=replaying)
    if kind == Act.score:
        # The domain checks the numbers (and reads a JSON float as the number it prints).
        note = payload.get("private_note")
        return review.score(
            actor, payload["scores"], payload["vote_for"], note, at=at, replaying=replaying
        )
    if kind == Act.return_to_author:
        return review.return_to_author(actor, payload["reason"], at=at)
    raise ValueError(f"unknown review action {kind!r}")


def life_status(status: Status, round_: int) -> InitiativeStatus:
    """The council's view of a review as the initiative's life names it."""
    if status is Status.awaiting_council:
        return InitiativeStatus.submitted if round_ == 1 else InitiativeStatus.resubmitted
    return InitiativeStatus(status.value)


OPEN = tuple(status.value for status in lifecycle.OPEN)
