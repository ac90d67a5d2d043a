"""A person's inbox: their messages, the unread count, marking one or all read; an officer
reads the inbox of a member of their subtree."""

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends
from pydantic import AwareDatetime, BaseModel, Field
from sqlalchemy import func, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.notifications.api.access import TreeScope
from services.notifications.tables import Contact, InboxMessage
from shared.auth import CurrentPrincipal, ensure_is_self_or_officer
from shared.formatting import format_date
from shared.http.dependencies import CampaignClock, DbSession
from shared.http.errors import ClientError
from shared.http.filters import moment_bound
from shared.http.paging import Page, PageQuery
from shared.http.request_body import RequestBody

router = APIRouter(prefix="/api/v1", tags=["notifications"])


class InboxMessagePublic(BaseModel):
    id: UUID
    trigger: str
    subject: str
    body: str
    created_at: datetime
    created_on_display: str
    read: bool


@dataclass(frozen=True)
class InboxPage:
    """The page of an inbox asked for: newest first, every message or only the unread."""

    unread_only: bool
    page: Page


def _inbox_page(page: PageQuery, unread_only: bool = False) -> InboxPage:
    return InboxPage(unread_only, page)


InboxPageQuery = Annotated[InboxPage, Depends(_inbox_page)]


@router.get("/inbox", response_model=list[InboxMessagePublic])
async def my_inbox(
    principal: CurrentPrincipal, session: DbSession, page: InboxPageQuery
) -> list[InboxMessagePublic]:
    """Hộp thư của tôi: newest first."""
    return await _inbox(session, principal.subject, page)


class UnreadCount(BaseModel):
    unread: int


# Before /inbox/{recipient_id}, which would take "unread-count" for a person's id.
@router.get("/inbox/unread-count", response_model=UnreadCount)
async def my_unread_count(principal: CurrentPrincipal, session: DbSession) -> UnreadCount:
    """How many messages of my inbox are unread (the portal's menu shows it)."""
    query = select(func.count()).where(
        col(InboxMessage.recipient_id) == principal.subject, col(InboxMessage.read_at).is_(None)
    )
    return UnreadCount(unread=(await session.exec(query)).one())


@router.get("/inbox/{recipient_id}", response_model=list[InboxMessagePublic])
async def inbox_of(
    recipient_id: str, principal: CurrentPrincipal, session: DbSession, page: InboxPageQuery
) -> list[InboxMessagePublic]:
    """A person's inbox: theirs, their unit's officers' or an admin's to read."""
    contact = await session.get(Contact, recipient_id)
    await ensure_is_self_or_officer(
        principal,
        recipient_id,
        contact.unit_code if contact and contact.unit_code else "",
        TreeScope(session),
    )
    return await _inbox(session, recipient_id, page)


@router.post("/inbox/messages/{message_id}/read", response_model=InboxMessagePublic)
async def mark_read(
    message_id: UUID, principal: CurrentPrincipal, session: DbSession, clock: CampaignClock
) -> InboxMessagePublic:
    async with session.begin():
        message = await session.get(InboxMessage, message_id)
        if message is None or message.recipient_id != principal.subject:
            raise ClientError(
                404, "message_id", "not_found", "Không tìm thấy thông báo", "Message not found"
            )
        message.read_at = message.read_at or clock.now()
    return _public(message)


class MarkAllRead(RequestBody):
    up_to: AwareDatetime | None = Field(
        default=None,
        description="Mark only the messages created at or before it: the `created_at` of the "
        "newest message the caller was shown. Without it, every unread message.",
    )


class MarkedRead(BaseModel):
    marked: int = Field(description="How many unread messages this call marked read")


@router.post("/inbox/read", response_model=MarkedRead)
async def mark_all_read(
    principal: CurrentPrincipal,
    session: DbSession,
    clock: CampaignClock,
    body: MarkAllRead | None = None,
) -> MarkedRead:
    """Mark my unread messages read in one statement, whatever their number.

    The bound is a time, not the ids shown: a page shows the newest messages only, and
    "all" means the older ones too. A message is stamped with the campaign clock when its
    event is consumed, so one that arrives after the page was shown is newer than every
    message on it and stays unread, unless the clock stood still or went back in between
    (a fixed test clock) or a slow batch committed a message stamped before the newest one
    shown: rare, and such a message is marked with the rest, as before this bound."""
    query = update(InboxMessage).where(
        col(InboxMessage.recipient_id) == principal.subject, col(InboxMessage.read_at).is_(None)
    )
    if body is not None and body.up_to is not None:
        query = query.where(col(InboxMessage.created_at) <= moment_bound(body.up_to))
    async with session.begin():
        marked = (await session.exec(query.values(read_at=clock.now()))).rowcount
    return MarkedRead(marked=marked)


async def _inbox(
    session: AsyncSession, recipient_id: str, asked: InboxPage
) -> list[InboxMessagePublic]:
    query = select(InboxMessage).where(InboxMessage.recipient_id == recipient_id)
    if asked.unread_only:
        query = query.where(col(InboxMessage.read_at).is_(None))
    query = asked.page.of(query.order_by(col(InboxMessage.created_at).desc()))
    return [_public(m) for m in (await session.exec(query)).all()]


def _public(message: InboxMessage) -> InboxMessagePublic:
    return InboxMessagePublic(
        **message.model_dump(),
        created_on_display=format_date(message.created_at),
        read=message.read_at is not None,
    )
