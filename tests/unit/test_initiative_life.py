"""The initiative's life (shared.contracts.lifecycle): two owners act on what they have seen,
their events reach every service in any interleaving of the two topics, and every service
ends in the same state."""

import random
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

from hypothesis import given, settings
from hypothesis import strategies as st

from shared.contracts import (
    EventData,
    InitiativeAmended,
    InitiativeCouncilAssigned,
    InitiativeNotRecognised,
    InitiativeRecognised,
    InitiativeReturned,
    InitiativeSubmitted,
    InitiativeWithdrawn,
)
from shared.contracts.lifecycle import (
    AWAITING_COUNCIL,
    CHANGEABLE,
    FINAL,
    VERDICTS,
    InitiativeStatus,
    Life,
    life_after,
    merge,
)

AT = datetime(2022, 3, 1, tzinfo=UTC)
ID = uuid4()
WHERE = {"initiative_id": ID, "campaign_code": "2022", "phase_code": "dot-1", "unit_code": "U"}


def submitted(round_: int, amended: bool = False) -> InitiativeSubmitted:
    kind = InitiativeAmended if amended else InitiativeSubmitted
    return kind(
        **WHERE, title="T", field="technical", submitted_by="m", submitted_at=AT, round=round_
    )


def decision(kind: type[EventData], round_: int) -> EventData:
    extra: dict[str, object] = {"reason": "thiếu số liệu"} if kind is InitiativeReturned else {}
    if kind in (InitiativeRecognised, InitiativeNotRecognised):
        extra = {"weighted_score": 7.0, "votes_for": 3, "council_size": 3}
    return kind(**WHERE, title="T", decided_at=AT, round=round_, **extra)


def council_seated(**changes: Any) -> InitiativeCouncilAssigned:
    return InitiativeCouncilAssigned(
        **WHERE,
        **{
            "title": "T",
            "author_ids": (),
            "reviewer_ids": ("a", "b", "c"),
            "assigned_by": "admin",
            "assigned_at": AT,
            **changes,
        },
    )


def fold(events: list[EventData]) -> Life | None:
    life: Life | None = None
    for event in events:
        life = merge(life, life_after(event))
    return life


class World:
    """Submissions and scoring, each acting on the events it has received so far."""

    def __init__(self) -> None:
        self.initiatives: list[EventData] = [submitted(1)]  # submissions' topic
        self.reviews: list[EventData] = []  # scoring's topic
        self.seen_by_scoring = 1  # how much of the initiatives topic scoring consumed
        self.seen_by_submissions = 0

    def submissions_view(self) -> Life:
        life = fold(self.initiatives + self.reviews[: self.seen_by_submissions])
        assert life is not None
        return life

    def scoring_view(self) -> Life:
        life = fold(self.initiatives[: self.seen_by_scoring] + self.reviews)
        assert life is not None
        return life

    def act(self, command: str) -> None:
        mine, theirs = self.submissions_view(), self.scoring_view()
        if command == "amend" and mine.status in CHANGEABLE:
            returned = mine.status is InitiativeStatus.returned
            self.initiatives.append(submitted(mine.round + returned, amended=True))
        elif command == "withdraw" and mine.status in CHANGEABLE:
            self.initiatives.append(InitiativeWithdrawn(**WHERE, withdrawn_by="m", withdrawn_at=AT))
        elif command == "assign" and (
            theirs.status in AWAITING_COUNCIL or theirs.status is InitiativeStatus.under_review
        ):
            self.reviews.append(council_seated(author_ids=("m",), round=theirs.round))
        elif command in ("recognise", "reject") and theirs.status is InitiativeStatus.under_review:
            kind = InitiativeRecognised if command == "recognise" else InitiativeNotRecognised
            self.reviews.append(decision(kind, theirs.round))
        elif command == "return" and (
            theirs.status in AWAITING_COUNCIL or theirs.status is InitiativeStatus.under_review
        ):
            self.reviews.append(decision(InitiativeReturned, theirs.round))
        elif command == "scoring_reads":
            self.seen_by_scoring = len(self.initiatives)
        elif command == "submissions_reads":
            self.seen_by_submissions = len(self.reviews)


def interleaving(first: list[EventData], second: list[EventData], seed: int) -> list[EventData]:
    """A random merge of two topics, each keeping its own order (as one partition does)."""
    chooser = random.Random(seed)
    a, b, merged = list(first), list(second), []
    while a or b:
        take_a = bool(a) and (not b or chooser.random() < 0.5)
        merged.append((a if take_a else b).pop(0))
    return merged


OWNERS_ACTS = ["amend", "withdraw", "assign", "recognise", "reject", "return"]
COMMANDS = st.sampled_from([*OWNERS_ACTS, "scoring_reads", "submissions_reads"])


@settings(max_examples=300, deadline=None)
@given(st.lists(COMMANDS, max_size=25), st.lists(st.integers(0, 2**32), min_size=4, max_size=4))
def test_any_interleaving_of_the_owners_commands_leaves_every_service_agreeing(
    commands: list[str], seeds: list[int]
) -> None:
    world = World()
    for command in commands:
        world.act(command)
    # submissions, scoring, reporting, notifications: each its own arrival order.
    states = {fold(interleaving(world.initiatives, world.reviews, seed)) for seed in seeds}
    assert len(states) == 1
    # Once everything is delivered, the two owners hold that state too.
    world.act("scoring_reads")
    world.act("submissions_reads")
    assert states == {world.submissions_view()} == {world.scoring_view()}


def test_a_withdrawal_wins_over_a_council_seated_in_flight() -> None:
    withdrawn = InitiativeWithdrawn(**WHERE, withdrawn_by="m", withdrawn_at=AT)
    seated = council_seated()
    for order in ([withdrawn, seated], [seated, withdrawn]):
        assert fold([submitted(1), *order]) == Life(InitiativeStatus.withdrawn)


def test_a_withdrawal_keeps_the_latest_round_any_event_knew_in_every_order() -> None:
    # Found through the running services: a mirror that saw round 2's resubmission, then a
    # withdrawal stating no round, fell back to round 1 while its owner kept round 2.
    returned = decision(InitiativeReturned, 1)
    resubmitted = submitted(2, amended=True)
    silent = InitiativeWithdrawn(**WHERE, withdrawn_by="m", withdrawn_at=AT)  # an old producer's
    stated = InitiativeWithdrawn(**WHERE, withdrawn_by="m", withdrawn_at=AT, round=2)
    for withdrawal in (silent, stated):
        for order in ([returned, resubmitted, withdrawal], [withdrawal, resubmitted, returned]):
            assert fold([submitted(1), *order]) == Life(InitiativeStatus.withdrawn, 2)


def test_a_resubmission_outranks_the_return_it_answers_whichever_arrives_first() -> None:
    returned = decision(InitiativeReturned, 1)
    resubmitted = submitted(2, amended=True)
    for order in ([returned, resubmitted], [resubmitted, returned]):
        assert fold([submitted(1), *order]) == Life(InitiativeStatus.resubmitted, 2)


def test_an_amendment_that_crossed_the_seating_leaves_it_under_review() -> None:
    seated = council_seated()
    life = fold([submitted(1), seated, submitted(1, amended=True)])
    assert life == Life(InitiativeStatus.under_review, 1)


def test_a_verdict_is_a_decision_of_the_council_that_ends_the_life() -> None:
    """Recognised or not: what the council's InitiativeRecognised / InitiativeNotRecognised
    leave, final; a return (another round) and a withdrawal (the authors') are not verdicts."""
    assert FINAL - {InitiativeStatus.withdrawn} == VERDICTS
    assert {InitiativeStatus.recognised, InitiativeStatus.not_recognised} == VERDICTS
    assert InitiativeStatus.returned not in VERDICTS
