"""Contracts of the campaigns topic: a year's plan and its phases (đợt thi đua)."""

from datetime import date, datetime
from typing import Any

from pydantic import Field

from shared.contracts import topics
from shared.contracts.base import EventData
from shared.contracts.bounds import CampaignCode, CampaignTitle, Code, Reason, Subject
from shared.contracts.campaign_day import campaign_day


class CampaignPublished(EventData, name="campaign.published.v1", topic=topics.CAMPAIGNS):
    """A federation admin loaded a year's plan (kế hoạch phát động thi đua)."""

    campaign_code: CampaignCode = Field(description="e.g. '2022'.")
    title: CampaignTitle = Field(description="The plan's title, in Vietnamese.")
    definition: dict[str, Any] = Field(
        description="The whole campaign file as JSON (theme, movements, phases, targets and "
        "their indicators, review criteria, award rules): consumers keep their own copy. Its "
        "shape is the schema `Campaign` of docs/asyncapi.yaml (shared/campaign/model.py)."
    )
    published_by: Subject


class _OnPhase(EventData, topic=topics.CAMPAIGNS):
    """Which phase of which campaign the event is about."""

    campaign_code: CampaignCode
    phase_code: Code


class PhaseOpened(_OnPhase, name="phase.opened.v1"):
    starts_on: date
    ends_on: date
    report_due_on: date | None = None
    opened_by: Subject
    opened_at: datetime


class PhaseClosed(_OnPhase, name="phase.closed.v1"):
    """A phase ended with its review (sơ kết / tổng kết): no more entries for it; scoring
    ranks and proposes awards."""

    ends_on: date
    closed_by: Subject
    closed_at: datetime = Field(
        description="When submissions recorded the closing (UTC, on the campaign's clock)."
    )
    forced: bool = Field(
        description="Closed on or before its end date (`closed_on` <= `ends_on`), by an "
        "admin's explicit choice."
    )
    reason: Reason | None = None
    closed_on: date | None = Field(
        default=None,
        description="The campaign day the phase was closed (its review's day). Absent from "
        "producers before it was added: read `closed_at`'s day in Vietnam then.",
    )

    @property
    def closed_day(self) -> date:
        """`closed_on`, or (from an older producer) the day it was recorded in Vietnam."""
        return campaign_day(self.closed_on, self.closed_at)
