"""Contracts of the initiatives topic (sáng kiến)."""

from datetime import date, datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from shared.contracts import topics
from shared.contracts.base import EventData
from shared.contracts.bounds import (
    AUTHORS_MAX,
    PERCENT_MAX,
    CampaignCode,
    Code,
    MemberId,
    Ordinal,
    PersonName,
    Subject,
    Title,
    Vnd,
)
from shared.contracts.campaign_day import campaign_day


class InitiativeAuthor(BaseModel):
    """One author or co-author and their share of the contribution."""

    model_config = ConfigDict(frozen=True)

    member_id: MemberId = Field(description="The member's identifier in the union register.")
    full_name: PersonName = Field(description="Họ và tên, with diacritics.")
    share_percent: int = Field(
        ge=1, le=PERCENT_MAX, description="Tỷ lệ đóng góp: this author's share; shares sum to 100."
    )


class InitiativeSubmitted(EventData, name="initiative.submitted.v1", topic=topics.INITIATIVES):
    """A member (or an officer on their behalf) submitted an initiative for review."""

    initiative_id: UUID = Field(description="Stable identifier of the initiative.")
    campaign_code: CampaignCode = Field(
        description="The campaign (yearly plan) it is entered in, e.g. '2022'."
    )
    unit_code: Code = Field(description="Code of the union unit the initiative belongs to.")
    title: Title = Field(description="Tên sáng kiến.")
    field: Code = Field(description="Lĩnh vực: technical, management, safety, ...")
    phase_code: Code = Field(description="The phase (đợt) it was submitted in.")
    authors: tuple[InitiativeAuthor, ...] = Field(
        default=(),
        max_length=AUTHORS_MAX,
        description="Authors with their contribution shares, confidential or not: "
        "confidentiality hides an initiative's content, never who is to be recognised.",
    )
    confidential: bool = Field(
        default=False,
        description="Sáng kiến mật: its content (problem, solution, novelty, attachments) is "
        "read only in submissions, by its council, authors, their officers and admins. No "
        "event carries any initiative's content.",
    )
    first_applied_on: date | None = Field(
        default=None, description="Ngày áp dụng lần đầu: first applied or tried."
    )
    expected_benefit_vnd: Vnd | None = Field(
        default=None, description="Giá trị làm lợi dự kiến, in whole đồng (0 to 10^15)."
    )
    submitted_by: Subject = Field(description="Subject of who submitted it (author or officer).")
    submitted_at: datetime = Field(description="When submissions recorded it (UTC).")
    received_on: date | None = Field(
        default=None,
        description="Ngày nhận: the campaign day it was received (a paper file keyed in later "
        "keeps the day it came in). Targets, trends and months count this day. Absent from "
        "producers before it was added: read `submitted_at`'s day in Vietnam then.",
    )
    round: Ordinal = Field(
        default=1,
        description="The review round: 1, then one more each time it is amended after the "
        "council returned it (a resubmission). See shared/contracts/lifecycle.py.",
    )

    @property
    def received_day(self) -> date:
        """`received_on`, or (from an older producer) the day it was recorded in Vietnam."""
        return campaign_day(self.received_on, self.submitted_at)

    @property
    def author_ids(self) -> tuple[str, ...]:
        """The authors' member ids, as the review events carry them (`author_ids`)."""
        return tuple(author.member_id for author in self.authors)


class InitiativeAmended(InitiativeSubmitted, name="initiative.amended.v1"):
    """The initiative as it now stands after an amendment (before its council sits, or after
    the council returned it: then `round` is one more): consumers replace what they hold."""

    amended_at: datetime | None = Field(
        default=None,
        description="When it was amended (or resubmitted), on the campaign's clock (added in "
        "1.3: absent from an older producer, whose readers fall back on the record's time).",
    )


class OnInitiative(EventData):
    """Which initiative an event is about: its id, campaign, phase and unit (the reviews'
    events begin so too)."""

    initiative_id: UUID
    campaign_code: CampaignCode
    phase_code: Code
    unit_code: Code


class InitiativeWithdrawn(OnInitiative, name="initiative.withdrawn.v1", topic=topics.INITIATIVES):
    """The author (or an officer) withdrew it while no council sat on it; final."""

    withdrawn_by: Subject
    withdrawn_at: datetime
    round: Ordinal = Field(
        default=1, description="The review round it was in (1, then one per resubmission)."
    )
    # Added in 1.3, so that its authors are told (absent from an older producer: no one is).
    title: Title | None = Field(default=None, description="Tên sáng kiến (added in 1.3).")
    author_ids: tuple[MemberId, ...] = Field(
        default=(),
        max_length=AUTHORS_MAX,
        description="Authors' member ids, a confidential initiative's too, so that they are "
        "told (added in 1.3: empty from an older producer).",
    )
