"""HTTP API of submissions: campaigns (kế hoạch thi đua) and their phases (đợt)."""

import asyncio
from datetime import date, datetime
from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field
from sqlmodel import select

from services.submissions.campaigns import service
from services.submissions.campaigns.tables import CampaignRecord, PhaseRecord
from services.submissions.routing import answer_once
from shared.auth import CurrentPrincipal, FederationAdmin
from shared.campaign.loader import CampaignFileError, load_campaign_text
from shared.contracts.bounds import Reason
from shared.http.dependencies import CampaignClock, DbSession, OutboxWriter
from shared.http.errors import ClientError
from shared.http.idempotency import IdempotencyKey, request_hash
from shared.http.request_body import RequestBody
from shared.refusals import unknown_campaign

router = APIRouter(prefix="/api/v1/campaigns", tags=["campaigns"])


class PhasePublic(BaseModel):
    code: str
    position: int
    starts_on: date
    ends_on: date
    report_due_on: date | None
    status: str
    opened_at: datetime | None
    closed_at: datetime | None
    closed_on: date | None = Field(description="The campaign day it was closed on.")
    close_reason: str | None


class CampaignPublic(BaseModel):
    code: str
    title: str
    published_by: str
    published_at: datetime
    phases: list[PhasePublic]
    definition: dict[str, Any] = Field(description="The campaign file, as JSON.")


class CloseRequest(RequestBody):
    force: bool = Field(default=False, description="Đóng sớm: close before the phase's end.")
    reason: Reason | None = None
    closed_on: date | None = Field(
        default=None,
        description="Ngày đóng đợt: the campaign day of the closing review, from the phase's "
        "first day to the campaign's last, not after today. Default: today (refused when today "
        "is not a day of the campaign).",
    )


@router.post(
    "",
    status_code=201,
    response_model=CampaignPublic,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/yaml": {"schema": {"type": "string"}}},
            "description": "The campaign file (campaigns/2022.yaml is the real 2022 plan).",
        }
    },
)
async def publish_campaign(
    request: Request,
    principal: FederationAdmin,
    session: DbSession,
    outbox: OutboxWriter,
    clock: CampaignClock,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Ban hành kế hoạch: load a year's campaign file; publishes `campaign published`. With an
    `Idempotency-Key`, a retry gets the first answer and publishes nothing again."""
    text = (await request.body()).decode("utf-8", errors="replace")
    try:
        # In a thread: a valid file of the largest size takes a good part of a second to
        # validate, which the event loop (every other request, /health) must not wait for.
        campaign = await asyncio.to_thread(load_campaign_text, text, "campaign file")
    except CampaignFileError as error:
        raise CampaignFileRefused(error) from error

    async def publish() -> CampaignPublic:
        record = await service.publish_campaign(
            session, outbox, campaign, principal.subject, clock.now()
        )
        return _public(record, await service.phases_of(session, campaign.code))

    return await answer_once(
        session, principal.subject, idempotency_key, request_hash(text), 201, publish
    )


@router.get("", response_model=list[CampaignPublic])
async def list_campaigns(_: CurrentPrincipal, session: DbSession) -> list[CampaignPublic]:
    records = (await session.exec(select(CampaignRecord))).all()
    return [_public(r, await service.phases_of(session, r.code)) for r in records]


@router.get("/{campaign_code}", response_model=CampaignPublic)
async def get_campaign(
    campaign_code: str, _: CurrentPrincipal, session: DbSession
) -> CampaignPublic:
    record = await session.get(CampaignRecord, campaign_code)
    if record is None:
        raise unknown_campaign(campaign_code)
    return _public(record, await service.phases_of(session, campaign_code))


@router.post("/{campaign_code}/phases/{phase_code}/open", response_model=PhasePublic)
async def open_phase(
    campaign_code: str,
    phase_code: str,
    principal: FederationAdmin,
    session: DbSession,
    outbox: OutboxWriter,
    clock: CampaignClock,
) -> PhasePublic:
    """Mở đợt thi đua; publishes `phase opened`."""
    async with session.begin():
        phase = await service.open_phase(
            session, outbox, campaign_code, phase_code, principal.subject, clock.now()
        )
    return PhasePublic.model_validate(phase, from_attributes=True)


@router.post("/{campaign_code}/phases/{phase_code}/close", response_model=PhasePublic)
async def close_phase(
    campaign_code: str,
    phase_code: str,
    body: CloseRequest,
    principal: FederationAdmin,
    session: DbSession,
    outbox: OutboxWriter,
    clock: CampaignClock,
) -> PhasePublic:
    """Đóng đợt (sơ kết / tổng kết) on a campaign day: refused on or before the phase's last
    day unless forced with a reason; afterwards the phase takes no new entries. Publishes
    `phase closed`."""
    async with session.begin():
        phase = await service.close_phase(
            session,
            outbox,
            campaign_code,
            phase_code,
            principal.subject,
            force=body.force,
            reason=body.reason,
            closed_on=body.closed_on,
            clock=clock,
        )
    return PhasePublic.model_validate(phase, from_attributes=True)


class CampaignFileRefused(ClientError):
    """Every problem of the file at once, each at its location in the document."""

    def __init__(self, error: CampaignFileError) -> None:
        super().__init__(
            422,
            "campaign_file",
            "invalid_campaign_file",
            "Tệp kế hoạch thi đua không hợp lệ",
            "Invalid campaign file",
            details=[
                {
                    "field": p.location,
                    "code": p.code,
                    "message_vi": p.message_vi,
                    "message_en": p.message_en,
                }
                for p in error.problems
            ],
        )


def _public(record: CampaignRecord, phases: list[PhaseRecord]) -> CampaignPublic:
    return CampaignPublic(
        **record.model_dump(),
        phases=[PhasePublic.model_validate(p, from_attributes=True) for p in phases],
    )
