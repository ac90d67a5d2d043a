"""Campaigns and their phases, as loaded from the campaign file."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON
from sqlmodel import Field

from services.submissions.db import SubmissionsTable
from shared.contracts.bounds import (
    CAMPAIGN_CODE_MAX,
    CAMPAIGN_TITLE_MAX,
    CODE_MAX,
    SUBJECT_MAX,
    VOCABULARY_MAX,
)


class CampaignRecord(SubmissionsTable, table=True):
    __tablename__ = "campaigns"

    code: str = Field(primary_key=True, max_length=CAMPAIGN_CODE_MAX)
    title: str = Field(max_length=CAMPAIGN_TITLE_MAX)
    # The validated file as JSON: the one source every rule is read from.
    definition: dict[str, Any] = Field(sa_type=JSON)
    published_by: str = Field(max_length=SUBJECT_MAX)
    published_at: datetime


class PhaseRecord(SubmissionsTable, table=True):
    __tablename__ = "phases"

    campaign_code: str = Field(
        primary_key=True, foreign_key="campaigns.code", max_length=CAMPAIGN_CODE_MAX
    )
    code: str = Field(primary_key=True, max_length=CODE_MAX)
    position: int
    starts_on: date
    ends_on: date
    report_due_on: date | None = None
    status: str = Field(max_length=VOCABULARY_MAX)  # a PhaseStatus (vocabulary)
    opened_at: datetime | None = None
    closed_at: datetime | None = None  # when it was recorded
    closed_on: date | None = None  # the campaign day it was closed on
    closed_by: str | None = Field(default=None, max_length=SUBJECT_MAX)
    close_reason: str | None = None
