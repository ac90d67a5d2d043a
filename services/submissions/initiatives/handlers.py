"""What submissions takes from scoring's events: the review half of an initiative's life.

Submissions owns the initiative and the commands on it; scoring owns its review. The state
shown here is the fold of both (shared.contracts.lifecycle), so the API, the portal and its
filters say what every other service says."""

import logging

from sqlmodel.ext.asyncio.session import AsyncSession

from services.submissions.initiatives.tables import Initiative
from shared.contracts import (
    InitiativeCouncilAssigned,
    InitiativeNotRecognised,
    InitiativeRecognised,
    InitiativeReturned,
)
from shared.contracts.lifecycle import InitiativeStatus, advance
from shared.messaging.cloudevents import Envelope

log = logging.getLogger(__name__)

ReviewFact = (
    InitiativeCouncilAssigned | InitiativeReturned | InitiativeRecognised | InitiativeNotRecognised
)


async def review_moved(event: Envelope[ReviewFact], session: AsyncSession) -> None:
    fact = event.data
    # Locked: an amendment or a withdrawal being written over HTTP finishes first.
    initiative = await session.get(Initiative, fact.initiative_id, with_for_update=True)
    if initiative is None:
        # Scoring only reviews what submissions published, so this is another deployment's
        # initiative (a shared topic): nothing of ours to move.
        log.warning(
            "review of an unknown initiative", extra={"initiative_id": str(fact.initiative_id)}
        )
        return
    after = advance(initiative.status, initiative.round, fact)
    if isinstance(fact, InitiativeCouncilAssigned):
        if (after.status, after.round) == (InitiativeStatus.under_review, fact.round):
            # Seated, or replaced within the round: its members read a confidential one.
            initiative.status, initiative.council = after.status, list(fact.reviewer_ids)
            # On the campaign's clock, as the fact says: the record's time is when it was
            # recorded, years after a simulated year's days.
            initiative.updated_at = max(initiative.updated_at, fact.assigned_at)
        return
    if (after.status, after.round) == (initiative.status, initiative.round):
        return  # older than what is held (a withdrawal won, or a later round started)
    initiative.status, initiative.round = after.status, after.round
    # Never backwards: an amendment may have been written after the fact was.
    initiative.updated_at = max(initiative.updated_at, fact.decided_at)
    initiative.decided_on = fact.decided_day
    if isinstance(fact, InitiativeReturned):
        initiative.return_reason = fact.reason
