"""Contracts of the reviews topic, produced by scoring (the awards are in `awards`)."""

from datetime import date, datetime

from pydantic import Field

from shared.contracts import topics
from shared.contracts.bounds import (
    AUTHORS_MAX,
    COUNCIL_MAX,
    Count,
    Finite,
    MemberId,
    Ordinal,
    Reason,
    Subject,
    Title,
)
from shared.contracts.campaign_day import campaign_day
from shared.contracts.initiatives import OnInitiative


class _OnReview(OnInitiative, topic=topics.REVIEWS):
    """Scoring's part of an initiative's life: its review."""


class _Decision(_OnReview):
    title: Title
    author_ids: tuple[MemberId, ...] = Field(
        default=(),
        max_length=AUTHORS_MAX,
        description="Authors' member ids, confidential initiatives' too (their authors are "
        "told and rewarded like any other).",
    )
    decided_at: datetime = Field(description="When scoring recorded the decision (UTC).")
    decided_on: date | None = Field(
        default=None, description="The campaign day the council decided (absent: decided_at's)."
    )
    round: Ordinal = Field(default=1, description="The review round it decides.")

    @property
    def decided_day(self) -> date:
        """`decided_on`, or (from an older producer) decided_at's day in Vietnam."""
        return campaign_day(self.decided_on, self.decided_at)


class InitiativeCouncilAssigned(_OnReview, name="initiative.council_assigned.v1"):
    """A council was seated on the initiative (or replaced before deciding): from now on it
    is under review and can no longer be amended or withdrawn."""

    title: Title
    author_ids: tuple[MemberId, ...] = Field(
        max_length=AUTHORS_MAX, description="Authors' member ids: they are told."
    )
    round: Ordinal = Field(default=1, description="The review round the council sits for.")
    reviewer_ids: tuple[Subject, ...] = Field(
        max_length=COUNCIL_MAX,
        description="The council's members: they, and no other reviewer, read a confidential "
        "initiative's content in submissions.",
    )
    assigned_by: Subject
    assigned_at: datetime


class InitiativeReviewed(_OnReview, name="initiative.reviewed.v1"):
    """A council member recorded (or revised) their score. Who scored, not what: the scores
    and notes stay with the council until the decision."""

    reviewer_id: Subject
    revised: bool = Field(description="True when the member changed an earlier score.")
    scored: Count = Field(description="Members who have scored so far.")
    council_size: Count
    at: datetime
    round: Ordinal = Field(default=1, description="The review round scored.")


class InitiativeReturned(_Decision, name="initiative.returned.v1"):
    """The council sent it back to its authors to complete (trả lại để bổ sung)."""

    reason: Reason


class _Verdict(_Decision):
    """The council's vote on it, either way."""

    weighted_score: Finite
    votes_for: Count
    council_size: Count


class InitiativeRecognised(_Verdict, name="initiative.recognised.v1"):
    """The council recognised it as an initiative (công nhận sáng kiến)."""


class InitiativeNotRecognised(_Verdict, name="initiative.not_recognised.v1"):
    """The council did not recognise it (không công nhận)."""
