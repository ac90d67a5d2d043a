"""Contracts of the initiatives topic (sáng kiến)."""

from datetime import date, datetime
from typing import ClassVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from shared.contracts import topics
from shared.contracts.base import EventData


class InitiativeAuthor(BaseModel):
    """One author or co-author and their share of the contribution."""

    model_config = ConfigDict(frozen=True)

    member_id: str = Field(description="The member's identifier in the union register.")
    full_name: str = Field(description="Họ và tên, with diacritics.")
    share_percent: int = Field(
        ge=1, le=100, description="Tỷ lệ đóng góp: this author's share; shares sum to 100."
    )


class InitiativeSubmitted(EventData):
    """A member (or an officer on their behalf) submitted an initiative for review."""

    event_type: ClassVar[str] = "vn.congdoandaukhi.thidua.initiative.submitted.v1"
    topic: ClassVar[str] = topics.INITIATIVES

    initiative_id: UUID = Field(description="Stable identifier of the initiative.")
    campaign_code: str = Field(
        description="The campaign (yearly plan) it is entered in, e.g. '2022'."
    )
    unit_code: str = Field(description="Code of the union unit the initiative belongs to.")
    title: str = Field(description="Tên sáng kiến.")
    field: str = Field(description="Lĩnh vực: technical, management, safety, ...")
    phase_code: str = Field(description="The phase (đợt) it was submitted in.")
    authors: tuple[InitiativeAuthor, ...] = Field(
        default=(),
        description="Authors with their contribution shares; empty for a confidential one.",
    )
    confidential: bool = Field(
        default=False,
        description="Bảo mật: only the title, unit and benefit leave submissions.",
    )
    first_applied_on: date | None = Field(
        default=None, description="Ngày áp dụng lần đầu: first applied or tried."
    )
    expected_benefit_vnd: int | None = Field(
        default=None, ge=0, description="Giá trị làm lợi dự kiến, in whole đồng."
    )
    submitted_by: str = Field(description="Subject of who submitted it (author or officer).")
    submitted_at: datetime = Field(description="When submissions accepted it (UTC).")


class InitiativeAmended(InitiativeSubmitted):
    """The initiative as it now stands after an amendment before review: consumers replace
    what they hold for it."""

    event_type: ClassVar[str] = "vn.congdoandaukhi.thidua.initiative.amended.v1"


class InitiativeWithdrawn(EventData):
    """The author withdrew it before review."""

    event_type: ClassVar[str] = "vn.congdoandaukhi.thidua.initiative.withdrawn.v1"
    topic: ClassVar[str] = topics.INITIATIVES

    initiative_id: UUID
    campaign_code: str
    phase_code: str
    unit_code: str
    withdrawn_by: str
    withdrawn_at: datetime
