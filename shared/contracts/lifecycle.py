"""An initiative's life, said once for every service.

    submitted ──council assigned──▶ under_review ──▶ recognised | not_recognised | returned
        ▲                                                                          │
        └──────────── resubmitted (amended after a return: the next round) ◀───────┘
    withdrawn: from submitted, resubmitted or returned; final.

Submissions owns the initiative and decides the commands on it (amend, withdraw); scoring
owns its review (assign, score, return, decide). Each announces what it did, and every
service (submissions included, for scoring's part) keeps the state as `merge` folds those
events. The fold is order-free: a state is ranked by (withdrawn, round, stage), and a
service keeps the highest it has seen. Events reach a service on two topics and in any
order, and the highest rank is the same whatever the order, so every service agrees.

A race between the two owners (a withdrawal accepted while a council was being seated)
ends the same way everywhere: withdrawn is final, and scoring closes the review on seeing it.
"""

from dataclasses import dataclass

from shared.contracts.base import EventData
from shared.contracts.initiatives import InitiativeSubmitted, InitiativeWithdrawn
from shared.contracts.reviews import (
    InitiativeCouncilAssigned,
    InitiativeNotRecognised,
    InitiativeRecognised,
    InitiativeReturned,
    InitiativeReviewed,
)
from shared.contracts.vocabulary import Labelled


class InitiativeStatus(Labelled):
    submitted = "submitted"
    under_review = "under_review"
    returned = "returned"
    resubmitted = "resubmitted"
    recognised = "recognised"
    not_recognised = "not_recognised"
    withdrawn = "withdrawn"


LABELS = InitiativeStatus.labels()

_STAGE = {
    InitiativeStatus.submitted: 0,
    InitiativeStatus.resubmitted: 0,
    InitiativeStatus.under_review: 1,
    InitiativeStatus.returned: 2,
    InitiativeStatus.recognised: 2,
    InitiativeStatus.not_recognised: 2,
}

CHANGEABLE = frozenset(
    {InitiativeStatus.submitted, InitiativeStatus.resubmitted, InitiativeStatus.returned}
)
"""Whose authors (or officers) may still amend or withdraw it: no council sits on it."""

AWAITING_COUNCIL = frozenset({InitiativeStatus.submitted, InitiativeStatus.resubmitted})
OPEN = AWAITING_COUNCIL | {InitiativeStatus.under_review}
"""Awaiting a council or before it: a review may still be seated, scored or returned."""

FINAL = frozenset(InitiativeStatus) - CHANGEABLE - OPEN
"""Decided or withdrawn: nothing more happens to it (a page showing it need not follow it)."""

VERDICTS = FINAL - {InitiativeStatus.withdrawn}
"""A council's verdict on an initiative: recognised or not (a return asks for more, and is
neither): how an initiative ends but by its authors' withdrawal."""


@dataclass(frozen=True)
class Life:
    """Where one initiative stands: its status and its review round (1, then one more for
    each resubmission after a return)."""

    status: InitiativeStatus
    round: int = 1

    @property
    def rank(self) -> tuple[bool, int, int]:
        withdrawn = self.status is InitiativeStatus.withdrawn
        return (withdrawn, 0 if withdrawn else self.round, _STAGE.get(self.status, 0))

    def merge(self, other: "Life | None") -> "Life":
        """The later of two states (the one already held wins a tie). A withdrawal ends the
        life in the latest round either state knew: a withdrawal crossing a resubmission in
        flight still leaves round 2 on record, whichever a mirror applies first."""
        if other is None:
            return self
        later = other if other.rank > self.rank else self
        if later.status is InitiativeStatus.withdrawn:
            return Life(InitiativeStatus.withdrawn, max(self.round, other.round))
        return later


def advance(status: str, round_: int, event: EventData) -> Life:
    """A mirror's stored (status, round) after the event: what each service's row keeps."""
    return Life(InitiativeStatus(status), round_).merge(life_after(event))


def merge(held: Life | None, incoming: Life | None) -> Life | None:
    if held is None:
        return incoming
    return held.merge(incoming)


def life_after(event: EventData) -> Life | None:
    """What an event says about the initiative's life (None: nothing)."""
    if isinstance(event, InitiativeWithdrawn):
        return Life(InitiativeStatus.withdrawn, event.round)
    if isinstance(event, InitiativeSubmitted):  # and InitiativeAmended, its subclass
        first = event.round <= 1
        status = InitiativeStatus.submitted if first else InitiativeStatus.resubmitted
        return Life(status, event.round)
    if isinstance(event, InitiativeCouncilAssigned | InitiativeReviewed):
        return Life(InitiativeStatus.under_review, event.round)
    if isinstance(event, InitiativeReturned):
        return Life(InitiativeStatus.returned, event.round)
    if isinstance(event, InitiativeRecognised):
        return Life(InitiativeStatus.recognised, event.round)
    if isinstance(event, InitiativeNotRecognised):
        return Life(InitiativeStatus.not_recognised, event.round)
    return None
