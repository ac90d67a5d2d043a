"""FastAPI dependencies every service's routes use: a session per request, the outbox, the
campaign's clock, the campaign a request means."""

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Query, Request
from sqlmodel.ext.asyncio.session import AsyncSession

from shared.clock import Clock
from shared.contracts.bounds import CAMPAIGN_CODE_MAX
from shared.messaging.outbox import Outbox
from shared.settings import default_campaign_code


async def _session(request: Request) -> AsyncIterator[AsyncSession]:
    async with request.app.state.sessions() as session:
        yield session


def _outbox(request: Request) -> Outbox:
    outbox: Outbox = request.app.state.outbox
    return outbox


def _clock(request: Request) -> Clock:
    clock: Clock = request.app.state.clock
    return clock


DbSession = Annotated[AsyncSession, Depends(_session)]
OutboxWriter = Annotated[Outbox, Depends(_outbox)]
CampaignClock = Annotated[Clock, Depends(_clock)]


def _campaign_code(
    campaign_code: Annotated[
        str | None,
        Query(
            max_length=CAMPAIGN_CODE_MAX,
            description="Kế hoạch thi đua; mặc định THIDUA_CAMPAIGN_CODE (the year's plan).",
        ),
    ] = None,
) -> str:
    return campaign_code or default_campaign_code()


# `?campaign_code=`, or the deployment's campaign when the request names none.
CampaignCodeQuery = Annotated[str, Depends(_campaign_code)]
