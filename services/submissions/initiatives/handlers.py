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
from shared.contracts.lifecycle import InitiativeStatus, Life, life_after
from shared.messaging.cloudevents import Envelope

log = logging.getLogger(__name__)

ReviewFact = (
    InitiativeCouncilAssigned | InitiativeReturned | InitiativeRecognised | InitiativeNotRecognised
)


async def review_moved(event: Envelope[ReviewFact], session: AsyncSession) -> None:
    fact = event.data
    initiative = await session.get(Initiative, fact.initiative_id)
    if initiative is None:
        # Scoring only reviews what submissions published, so this is another deployment's
        # initiative (a shared topic): nothing of ours to move.
        log.warning(
            "review of an unknown initiative", extra={"initiative_id": str(fact.initiative_id)}
        )
        return
    held = Life(InitiativeStatus(initiative.status), initiative.round)
    incoming = life_after(fact)
    after = held.merge(incoming)
    if after == held:
        return  # older than what is held (a withdrawal won, or a later round started)
    initiative.status, initiative.round = after.status, after.round
    if isinstance(fact, InitiativeCouncilAssigned):
        initiative.council = list(fact.reviewer_ids)
    elif isinstance(fact, InitiativeReturned):
        initiative.return_reason = fact.reason
        initiative.decided_on = fact.decided_on or fact.decided_at.date()
    else:
        initiative.decided_on = fact.decided_on or fact.decided_at.date()
    initiative.updated_at = event.time
