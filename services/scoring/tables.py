"""Scoring's own tables."""

from datetime import date, datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from sqlalchemy import JSON, BigInteger
from sqlmodel import Field, SQLModel

from shared.contracts import bounds
from shared.contracts.campaign_day import campaign_day
from shared.copied_columns import CampaignFileColumns, InitiativeColumns
from shared.db import service_registry
from shared.messaging.tables import add_messaging_tables


class ScoringTable(SQLModel, registry=service_registry()):
    pass


class CampaignCopy(ScoringTable, CampaignFileColumns, table=True):
    """The campaign file as published: review criteria, targets and award rules."""

    __tablename__ = "campaigns"


class ReviewRecord(ScoringTable, InitiativeColumns, table=True):
    """An initiative under review: what listing and `pending` need; the review itself is
    rebuilt from its actions."""

    __tablename__ = "reviews"

    author_ids: list[str] = Field(sa_type=JSON)
    confidential: bool = False
    # The initiative's life as every service folds it (shared.contracts.lifecycle).
    status: str = Field(max_length=bounds.VOCABULARY_MAX, index=True)
    round: int = 1  # the review round; a resubmission after a return starts the next
    # What a reviewer's waiting list shows beside the title (content stays in submissions).
    received_on: date | None = None
    expected_benefit_vnd: int | None = Field(default=None, sa_type=BigInteger)
    first_applied_on: date | None = None
    council: list[str] = Field(sa_type=JSON)
    scored_by: list[str] = Field(sa_type=JSON)
    submitted_at: datetime
    updated_at: datetime


class Act(StrEnum):
    """What a review action does (ReviewAction.kind), each a method of the council domain."""

    assign = "assign"  # seat the council
    score = "score"  # one member's scores and vote
    return_to_author = "return"  # back to the authors, with the reason


class ReviewAction(ScoringTable, table=True):
    """Every act on a review, in order: assign, score, return. Replaying them through the
    council domain gives the review's state (and its decision) exactly."""

    __tablename__ = "review_actions"

    id: int | None = Field(default=None, primary_key=True)
    initiative_id: UUID = Field(index=True)
    kind: str = Field(max_length=bounds.VOCABULARY_MAX)  # an Act
    actor: str = Field(max_length=bounds.SUBJECT_MAX)
    payload: dict[str, Any] = Field(sa_type=JSON)
    at: datetime
    round: int = 1  # the review it belongs to: a new round replays only its own acts


class FactEvent(ScoringTable, table=True):
    """Every event the targets and awards are computed from, kept as a set (by event id):
    the facts of a phase are a pure function of this set, whatever order it arrived in."""

    __tablename__ = "fact_events"

    event_id: UUID = Field(primary_key=True)
    campaign_code: str | None = Field(default=None, max_length=bounds.CAMPAIGN_CODE_MAX, index=True)
    event_type: str = Field(max_length=bounds.EVENT_TYPE_MAX)
    payload: dict[str, Any] = Field(sa_type=JSON)
    # When it happened (ce_time): a phase's awards count what happened before its close,
    # however late it arrives.
    occurred_at: datetime = Field(index=True)


class ClosedPhase(ScoringTable, table=True):
    __tablename__ = "closed_phases"

    campaign_code: str = Field(primary_key=True, max_length=bounds.CAMPAIGN_CODE_MAX)
    phase_code: str = Field(primary_key=True, max_length=bounds.CODE_MAX)
    # When the close was recorded (its event's time): the facts recorded before it count.
    closed_at: datetime
    # When the phase closed on the campaign's clock (PhaseClosed.closed_at): the time its
    # proposals and standings are as of. None for a close kept before this column: its
    # recording time stands in.
    campaign_closed_at: datetime | None = None
    # The campaign day it closed (PhaseClosed.closed_day: the review day the admin gave, which
    # may be days before the close was keyed in): the day its rules are judged on.
    closed_on: date | None = None

    @property
    def as_of(self) -> datetime:
        return self.campaign_closed_at or self.closed_at

    @property
    def judged_on(self) -> date:
        return campaign_day(self.closed_on, self.as_of)


class Award(ScoringTable, table=True):
    """An award proposed at a phase's close: a federation admin confirms or rejects it; a
    confirmed one may be revoked. Every decision and its reason stay on the record."""

    __tablename__ = "awards"

    id: UUID = Field(primary_key=True)
    campaign_code: str = Field(max_length=bounds.CAMPAIGN_CODE_MAX, index=True)
    phase_code: str = Field(max_length=bounds.CODE_MAX)
    # an AwardStatus (vocabulary); withdrawn: a proposal late data no longer supports
    status: str = Field(max_length=bounds.VOCABULARY_MAX, index=True)
    grant: dict[str, Any] = Field(sa_type=JSON)  # the AwardGranted data, as proposed
    # The last decision's.
    decided_by: str | None = Field(default=None, max_length=bounds.SUBJECT_MAX)
    decided_at: datetime | None = None
    revoke_reason: str | None = None  # a revocation's, or a withdrawal's
    reject_reason: str | None = None
    # Kept when revoked.
    confirmed_by: str | None = Field(default=None, max_length=bounds.SUBJECT_MAX)
    confirmed_at: datetime | None = None


class PublishedStanding(ScoringTable, table=True):
    """A unit's standing as last published for a closed phase (`standing.published.v1`):
    computing the close again publishes only the standings that changed."""

    __tablename__ = "standings"

    campaign_code: str = Field(primary_key=True, max_length=bounds.CAMPAIGN_CODE_MAX)
    phase_code: str = Field(primary_key=True, max_length=bounds.CODE_MAX)
    unit_code: str = Field(primary_key=True, max_length=bounds.CODE_MAX)
    revision: int
    figures: dict[str, Any] = Field(sa_type=JSON)  # the event's data but its times, revision
    published_at: datetime


metadata = ScoringTable.metadata
messaging = add_messaging_tables(metadata)
