"""FastAPI dependencies every service's routes use: a session per request, the outbox."""

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlmodel.ext.asyncio.session import AsyncSession

from shared.messaging.outbox import Outbox


async def _session(request: Request) -> AsyncIterator[AsyncSession]:
    async with request.app.state.sessions() as session:
        yield session


def _outbox(request: Request) -> Outbox:
    outbox: Outbox = request.app.state.outbox
    return outbox


DbSession = Annotated[AsyncSession, Depends(_session)]
OutboxWriter = Annotated[Outbox, Depends(_outbox)]
