"""The HTTP API's request and response bodies."""

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, Field, field_validator
from pydantic_core import PydanticCustomError

from shared.contracts.bounds import (
    AUTHORS_MAX,
    PERCENT_MAX,
    CampaignCode,
    Code,
    LongText,
    MemberId,
    PersonName,
    Title,
    Vnd,
)
from shared.contracts.initiative_parts import CONTENT_PARTS, describe
from shared.contracts.lifecycle import InitiativeStatus
from shared.contracts.vocabulary import InitiativeField
from shared.http.errors import add_vietnamese
from shared.http.request_body import RequestBody
from shared.settings import default_campaign_code

TITLE_MIN = 5
"""A title names the initiative: a few words at least (the lengths' maxima are the contract's)."""
CONTENT_MIN = 10
"""The problem and the solution: a sentence at least."""
TitleIn = Annotated[Title, Field(min_length=TITLE_MIN)]
ContentIn = Annotated[LongText, Field(min_length=CONTENT_MIN)]


class AuthorIn(RequestBody):
    member_id: MemberId = Field(min_length=1, description="Mã đoàn viên.")
    full_name: PersonName = Field(min_length=2, description="Họ và tên.")
    share_percent: int = Field(ge=1, le=PERCENT_MAX, description="Tỷ lệ đóng góp (%).")


add_vietnamese(
    {
        "shares_not_100": "Tổng tỷ lệ đóng góp của các tác giả phải bằng 100%, hiện là {total}%",
        "author_repeated": "Tác giả {member_id} được khai báo hơn một lần",
    }
)


def check_authors(authors: list[AuthorIn]) -> list[AuthorIn]:
    """Shares sum to 100 and nobody is listed twice (Decree 13/2012 asks for each share)."""
    total = sum(author.share_percent for author in authors)
    if total != 100:
        raise PydanticCustomError(
            "shares_not_100",
            "Authors' contribution shares must sum to 100%, got {total}%",
            {"total": total},
        )
    member_ids = [author.member_id for author in authors]
    for member_id in member_ids:
        if member_ids.count(member_id) > 1:
            raise PydanticCustomError(
                "author_repeated",
                "Author {member_id} is listed more than once",
                {"member_id": member_id},
            )
    return authors


class InitiativeCreate(RequestBody):
    campaign_code: CampaignCode = Field(
        default_factory=default_campaign_code, description="Kế hoạch thi đua."
    )
    title: TitleIn = Field(description=describe("title"))
    unit_code: Code = Field(min_length=1, description=describe("unit_code", "its code."))
    field: InitiativeField = Field(description=describe("field"))
    problem: ContentIn = Field(description=describe("problem"))
    solution: ContentIn = Field(description=describe("solution"))
    novelty: LongText | None = Field(default=None, description=describe("novelty"))
    authors: list[AuthorIn] = Field(
        min_length=1, max_length=AUTHORS_MAX, description=describe("authors")
    )
    first_applied_on: date | None = Field(default=None, description=describe("first_applied_on"))
    expected_benefit_vnd: Vnd | None = Field(
        default=None, description=describe("expected_benefit_vnd", "0 to 10^15.")
    )
    measured_benefit_vnd: Vnd | None = Field(
        default=None, description=describe("measured_benefit_vnd", "as measured, 0 to 10^15.")
    )
    other_benefits: LongText | None = Field(default=None, description=describe("other_benefits"))
    confidential: bool = Field(
        default=False,
        description=describe(
            "confidential",
            f"its content ({', '.join(sorted(CONTENT_PARTS))}, attachments) is read only by "
            "its authors, their officers, admins and its own council.",
        ),
    )
    received_on: date | None = Field(
        default=None,
        description=describe(
            "received_on",
            "the day it came in (an officer keying in a paper file gives that day); within "
            "the open phase, not after today. Default: today, within the phase.",
        ),
    )

    @field_validator("authors")
    @classmethod
    def authors_share_everything(cls, authors: list[AuthorIn]) -> list[AuthorIn]:
        return check_authors(authors)


class InitiativeUpdate(RequestBody):
    """An amendment while no council sits on it (or a resubmission after a return): the
    fields given replace the stored ones, and the result passes every check a submission
    passes."""

    title: TitleIn | None = None
    field: InitiativeField | None = None
    problem: ContentIn | None = None
    solution: ContentIn | None = None
    novelty: LongText | None = None
    authors: list[AuthorIn] | None = Field(default=None, min_length=1, max_length=AUTHORS_MAX)
    first_applied_on: date | None = None
    expected_benefit_vnd: Vnd | None = None
    measured_benefit_vnd: Vnd | None = None
    other_benefits: LongText | None = None
    received_on: date | None = None


class InitiativePublic(BaseModel):
    id: UUID
    campaign_code: str
    phase_code: str
    unit_code: str
    title: str
    field: str
    problem: str | None = Field(description="Withheld (null) from who may not read it.")
    solution: str | None
    novelty: str | None
    content_withheld: bool = Field(
        default=False,
        description="True when this caller may not read a confidential initiative's content.",
    )
    status: InitiativeStatus
    status_vi: str = Field(description="The status as a person reads it, in Vietnamese.")
    status_en: str
    round: int = Field(description="The review round: 2 after one resubmission, and so on.")
    return_reason: str | None = Field(description="Why the council returned it, while returned.")
    received_on: date
    decided_on: date | None
    authors: list[AuthorIn]
    first_applied_on: date | None
    expected_benefit_vnd: int | None
    measured_benefit_vnd: int | None
    other_benefits: str | None
    confidential: bool
    submitted_by: str
    submitted_at: datetime
    updated_at: datetime


class InitiativePage(BaseModel):
    items: list[InitiativePublic]
    total: int
    limit: int
    offset: int


class AttachmentPublic(BaseModel):
    id: UUID
    filename: str
    content_type: str
    size_bytes: int
    sha256: str
    uploaded_by: str
    uploaded_at: datetime
