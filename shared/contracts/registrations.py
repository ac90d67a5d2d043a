"""Contracts of the registrations topic: a unit joins movements for a phase (đăng ký thi đua)."""

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from shared.contracts import topics
from shared.contracts.base import EventData
from shared.contracts.bounds import (
    COMMITMENTS_MAX,
    MOVEMENTS_MAX,
    CampaignCode,
    Code,
    Note,
    Reason,
    Subject,
)


class Commitment(BaseModel):
    model_config = ConfigDict(frozen=True)

    movement_code: Code
    text: Note = Field(description="The unit's own concrete commitment (nội dung đăng ký).")


class _Registration(EventData, topic=topics.REGISTRATIONS):
    registration_id: UUID
    campaign_code: CampaignCode
    phase_code: Code
    unit_code: Code
    movement_codes: tuple[Code, ...] = Field(max_length=MOVEMENTS_MAX)
    commitments: tuple[Commitment, ...] = Field(default=(), max_length=COMMITMENTS_MAX)
    actor: Subject = Field(description="Subject of the person who acted.")
    at: datetime


class RegistrationSubmitted(_Registration, name="registration.submitted.v1"):
    """A unit sent its registration for the movements to the level above."""


class RegistrationReturned(_Registration, name="registration.returned.v1"):
    reason: Reason


class RegistrationApproved(_Registration, name="registration.approved.v1"):
    """The level above approved the unit's registration."""
