"""FastAPI dependencies every service's routes use: a session per request, the outbox, the
campaign's clock."""

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlmodel.ext.asyncio.session import AsyncSession

from shared.clock import Clock
from shared.messaging.outbox import Outbox


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
