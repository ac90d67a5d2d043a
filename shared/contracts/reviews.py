"""Contracts of the reviews and awards topics, produced by scoring."""

from datetime import datetime
from typing import ClassVar
from uuid import UUID

from pydantic import Field

from shared.contracts import topics
from shared.contracts.base import EventData


class _Decision(EventData):
    initiative_id: UUID
    campaign_code: str
    phase_code: str
    unit_code: str
    title: str
    author_ids: tuple[str, ...] = Field(
        default=(), description="Authors' member ids (empty for a confidential initiative)."
    )
    decided_at: datetime


class InitiativeReviewed(EventData):
    """A council member recorded (or revised) their score. Who scored, not what: the scores
    and notes stay with the council until the decision."""

    event_type: ClassVar[str] = "vn.congdoandaukhi.thidua.initiative.reviewed.v1"
    topic: ClassVar[str] = topics.REVIEWS

    initiative_id: UUID
    campaign_code: str
    phase_code: str
    unit_code: str
    reviewer_id: str
    revised: bool = Field(description="True when the member changed an earlier score.")
    scored: int = Field(description="Members who have scored so far.")
    council_size: int
    at: datetime


class InitiativeReturned(_Decision):
    """The council sent it back to its authors to complete (trả lại để bổ sung)."""

    event_type: ClassVar[str] = "vn.congdoandaukhi.thidua.initiative.returned.v1"
    topic: ClassVar[str] = topics.REVIEWS

    reason: str


class InitiativeRecognised(_Decision):
    """The council recognised it as an initiative (công nhận sáng kiến)."""

    event_type: ClassVar[str] = "vn.congdoandaukhi.thidua.initiative.recognised.v1"
    topic: ClassVar[str] = topics.REVIEWS

    weighted_score: float
    votes_for: int
    council_size: int


class InitiativeNotRecognised(_Decision):
    event_type: ClassVar[str] = "vn.congdoandaukhi.thidua.initiative.not_recognised.v1"
    topic: ClassVar[str] = topics.REVIEWS

    weighted_score: float
    votes_for: int
    council_size: int


class AwardGranted(EventData):
    """An award proposed by rule at a phase's close, or confirmed by a federation admin."""

    event_type: ClassVar[str] = "vn.congdoandaukhi.thidua.award.granted.v1"
    topic: ClassVar[str] = topics.AWARDS

    award_id: UUID
    campaign_code: str
    phase_code: str
    award_type: str = Field(description="e.g. bang-khen, giay-khen, co-thi-dua")
    award_name: str = Field(description="e.g. 'Bằng khen của Công đoàn Dầu khí Việt Nam'.")
    level: str = Field(description="confederation | federation | affiliated_union")
    recipient_kind: str = Field(description="unit | member")
    recipient_id: str
    recipient_name: str
    unit_code: str = Field(description="The recipient's unit (itself for a unit).")
    reasons: tuple[str, ...] = Field(description="The figures and rules that earned it.")
    status: str = Field(description="proposed | confirmed")
    at: datetime


class AwardRevoked(EventData):
    event_type: ClassVar[str] = "vn.congdoandaukhi.thidua.award.revoked.v1"
    topic: ClassVar[str] = topics.AWARDS

    award_id: UUID
    campaign_code: str
    phase_code: str
    award_name: str
    recipient_kind: str
    recipient_id: str
    recipient_name: str
    unit_code: str
    reason: str
    at: datetime
