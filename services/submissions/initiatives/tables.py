"""Initiative tables."""

from datetime import date, datetime
from uuid import UUID

from sqlalchemy import JSON, BigInteger
from sqlmodel import Field

from services.submissions.db import SubmissionsTable
from shared.contracts.bounds import (
    CAMPAIGN_CODE_MAX,
    CODE_MAX,
    CONTENT_TYPE_MAX,
    FILENAME_MAX,
    MEMBER_ID_MAX,
    PERSON_NAME_MAX,
    SHA256_HEX,
    STORAGE_KEY_MAX,
    SUBJECT_MAX,
    TITLE_MAX,
    VOCABULARY_MAX,
)


class Initiative(SubmissionsTable, table=True):
    __tablename__ = "initiatives"

    id: UUID = Field(primary_key=True)
    campaign_code: str = Field(max_length=CAMPAIGN_CODE_MAX, index=True)
    phase_code: str = Field(max_length=CODE_MAX)
    unit_code: str = Field(foreign_key="units.code", max_length=CODE_MAX, index=True)
    title: str = Field(max_length=TITLE_MAX)
    field: str = Field(max_length=CODE_MAX)
    problem: str
    solution: str
    novelty: str | None = None
    first_applied_on: date | None = None
    expected_benefit_vnd: int | None = Field(default=None, sa_type=BigInteger)
    measured_benefit_vnd: int | None = Field(default=None, sa_type=BigInteger)
    other_benefits: str | None = None
    confidential: bool = False
    # shared.contracts.lifecycle: its own commands move it (submit, amend, withdraw), and
    # scoring's events (council assigned, returned, decided) through the same fold.
    status: str = Field(max_length=VOCABULARY_MAX, index=True)
    round: int = 1  # the review round: one more for each resubmission after a return
    received_on: date  # the campaign day it came in (a paper file keeps its own day)
    # The members of its current council: they (and no other reviewer) read it if confidential.
    council: list[str] = Field(default_factory=list, sa_type=JSON)
    return_reason: str | None = None  # why the council sent it back, while returned
    decided_on: date | None = None  # the campaign day of the council's decision
    submitted_by: str = Field(max_length=SUBJECT_MAX)
    submitted_at: datetime
    updated_at: datetime


class InitiativeAuthor(SubmissionsTable, table=True):
    __tablename__ = "initiative_authors"

    initiative_id: UUID = Field(primary_key=True, foreign_key="initiatives.id")
    member_id: str = Field(primary_key=True, max_length=MEMBER_ID_MAX, index=True)
    full_name: str = Field(max_length=PERSON_NAME_MAX)
    share_percent: int
    # Where they stand in the list as it was given (the first is the main author, as the
    # registration form lists them); a row kept before this column is 0, then by member id.
    position: int = 0


class Attachment(SubmissionsTable, table=True):
    """A file kept on disk (or object storage) beside the initiative; the row is its index."""

    __tablename__ = "initiative_attachments"

    id: UUID = Field(primary_key=True)
    initiative_id: UUID = Field(foreign_key="initiatives.id", index=True)
    filename: str = Field(max_length=FILENAME_MAX)
    content_type: str = Field(max_length=CONTENT_TYPE_MAX)
    size_bytes: int
    sha256: str = Field(max_length=SHA256_HEX)
    storage_key: str = Field(max_length=STORAGE_KEY_MAX)
    uploaded_by: str = Field(max_length=SUBJECT_MAX)
    uploaded_at: datetime
