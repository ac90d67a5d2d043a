"""FastAPI dependencies every service's routes use: a session per request, the outbox, the
campaign's clock, the validated campaign files, the campaign a request means.

The ones that only read `app.state` are `async def`: FastAPI runs a plain `def` dependency in
its thread pool, a thread hop per request each (a few percent of a submission's CPU when
profiled)."""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query, Request
from sqlmodel.ext.asyncio.session import AsyncSession

from shared.campaign.cache import CampaignCache
from shared.clock import Clock
from shared.contracts.bounds import CAMPAIGN_CODE_MAX
from shared.messaging.outbox import Outbox
from shared.settings import default_campaign_code


async def _session(request: Request) -> AsyncIterator[AsyncSession]:
    async with request.app.state.sessions() as session:
        yield session


async def _outbox(request: Request) -> Outbox:
    outbox: Outbox = request.app.state.outbox
    return outbox


async def _clock(request: Request) -> Clock:
    clock: Clock = request.app.state.clock
    return clock


async def _campaigns(request: Request) -> CampaignCache:
    campaigns: CampaignCache = request.app.state.campaigns
    return campaigns


DbSession = Annotated[AsyncSession, Depends(_session)]
OutboxWriter = Annotated[Outbox, Depends(_outbox)]
CampaignClock = Annotated[Clock, Depends(_clock)]
# The service's `CampaignCache`, made by its `bootstrap.define` (state "campaigns").
Campaigns = Annotated[CampaignCache, Depends(_campaigns)]


@dataclass(frozen=True, slots=True)
class UnitOfWork:
    """What a route that changes state works with: the request's session, the outbox its
    events go out through, the campaign's clock and the validated campaign files."""

    session: AsyncSession
    outbox: Outbox
    clock: Clock
    campaigns: CampaignCache


async def _work(
    session: DbSession, outbox: OutboxWriter, clock: CampaignClock, campaigns: Campaigns
) -> UnitOfWork:
    return UnitOfWork(session, outbox, clock, campaigns)


# The four above as one parameter (resolved in the same order).
Work = Annotated[UnitOfWork, Depends(_work)]


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
