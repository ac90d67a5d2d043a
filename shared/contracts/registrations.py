"""Contracts of the registrations topic: a unit joins movements for a phase (đăng ký thi đua)."""

from datetime import datetime
from typing import ClassVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from shared.contracts import topics
from shared.contracts.base import EventData


class Commitment(BaseModel):
    model_config = ConfigDict(frozen=True)

    movement_code: str
    text: str = Field(description="The unit's own concrete commitment (nội dung đăng ký).")


class _Registration(EventData):
    registration_id: UUID
    campaign_code: str
    phase_code: str
    unit_code: str
    movement_codes: tuple[str, ...]
    commitments: tuple[Commitment, ...] = ()
    actor: str = Field(description="Subject of the person who acted.")
    at: datetime


class RegistrationSubmitted(_Registration):
    event_type: ClassVar[str] = "vn.congdoandaukhi.thidua.registration.submitted.v1"
    topic: ClassVar[str] = topics.REGISTRATIONS


class RegistrationReturned(_Registration):
    event_type: ClassVar[str] = "vn.congdoandaukhi.thidua.registration.returned.v1"
    topic: ClassVar[str] = topics.REGISTRATIONS

    reason: str


class RegistrationApproved(_Registration):
    event_type: ClassVar[str] = "vn.congdoandaukhi.thidua.registration.approved.v1"
    topic: ClassVar[str] = topics.REGISTRATIONS
