"""HTTP API of notifications: a person's inbox; for admins, subscribers, contacts and the
delivery log."""

import secrets
from datetime import datetime
from typing import Annotated
from uuid import UUID, uuid4

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from pydantic import BaseModel, EmailStr, Field, HttpUrl, UrlConstraints, field_validator
from pydantic_core import PydanticCustomError
from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.notifications.channels.destinations import DestinationRefused, check_destination
from services.notifications.config import NotificationsSettings
from services.notifications.service.delivery import redeliver
from services.notifications.tables import (
    Contact,
    Delivery,
    DeliveryAttempt,
    InboxMessage,
    UnitCopy,
    WebhookSubscriber,
    idempotency_keys,
)
from shared.auth import (
    CurrentPrincipal,
    Principal,
    Role,
    deployment_settings,
    ensure_is_self_or_officer,
    require_roles,
)
from shared.contracts.bounds import (
    EVENT_TYPES_MAX,
    SUBJECT_MAX,
    URL_MAX,
    Code,
    EventType,
    PersonName,
)
from shared.formatting import format_date
from shared.http.dependencies import CampaignClock, DbSession
from shared.http.errors import ClientError
from shared.http.idempotency import IdempotencyKey, IdempotentRequest, request_hash

router = APIRouter(prefix="/api/v1", tags=["notifications"])
Admin = Annotated[Principal, Depends(require_roles(Role.FEDERATION_ADMIN))]


class TreeScope:
    """`shared.auth.UnitScope` over notifications' copy of the union tree."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def __call__(self, unit_code: str, *, within: str) -> bool:
        unit = await self._session.get(UnitCopy, unit_code)
        ancestor = await self._session.get(UnitCopy, within)
        return bool(unit and ancestor and unit.path.startswith(ancestor.path))


class InboxMessagePublic(BaseModel):
    id: UUID
    trigger: str
    subject: str
    body: str
    created_at: datetime
    created_on_display: str
    read: bool


@router.get("/inbox", response_model=list[InboxMessagePublic])
async def my_inbox(
    principal: CurrentPrincipal,
    session: DbSession,
    unread_only: bool = False,
    limit: int = Query(default=50, ge=1, le=500),
    offset: int = Query(default=0, ge=0),
) -> list[InboxMessagePublic]:
    """Hộp thư của tôi: newest first."""
    return await _inbox(session, principal.subject, unread_only, limit, offset)


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
    recipient_id: str,
    principal: CurrentPrincipal,
    session: DbSession,
    unread_only: bool = False,
    limit: int = Query(default=50, ge=1, le=500),
    offset: int = Query(default=0, ge=0),
) -> list[InboxMessagePublic]:
    """A person's inbox: theirs, their unit's officers' or an admin's to read."""
    contact = await session.get(Contact, recipient_id)
    await ensure_is_self_or_officer(
        principal,
        recipient_id,
        contact.unit_code if contact and contact.unit_code else "",
        TreeScope(session),
    )
    return await _inbox(session, recipient_id, unread_only, limit, offset)


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


class SubscriberIn(BaseModel):
    name: PersonName = Field(min_length=2)
    url: Annotated[HttpUrl, UrlConstraints(max_length=URL_MAX)]
    event_types: list[EventType] = Field(
        default_factory=list, max_length=EVENT_TYPES_MAX, description="Empty: every event."
    )

    @field_validator("url")
    @classmethod
    def stored_url_fits(cls, url: HttpUrl) -> HttpUrl:
        # The limit above reads the input; the URL stored is the normalised one (an IDN host
        # in punycode is longer), and the column holds URL_MAX.
        if len(str(url)) > URL_MAX:
            raise PydanticCustomError(
                "url_too_long",
                "URL should have at most {max_length} characters",
                {"max_length": URL_MAX},
            )
        return url


class SubscriberPublic(BaseModel):
    id: UUID
    name: str
    url: str
    event_types: list[str]
    active: bool
    secret: str | None = Field(
        default=None, description="Shown once, when created or rotated: store it."
    )


@router.post("/subscribers", status_code=201, response_model=SubscriberPublic)
async def add_subscriber(
    request: Request,
    body: SubscriberIn,
    admin: Admin,
    session: DbSession,
    clock: CampaignClock,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Đăng ký hệ thống nhận webhook: every delivery is signed with HMAC-SHA256. With an
    `Idempotency-Key`, a retry gets the first answer (the same subscriber and secret) and
    registers nothing again. The URL must reach a public address (https in production)."""
    settings: NotificationsSettings = request.app.state.settings
    try:
        await check_destination(
            str(body.url),
            settings.allowed_networks(),
            require_https=deployment_settings(request).is_production,
        )
    except DestinationRefused as no:
        raise ClientError(422, "url", no.code, no.message_vi, no.message_en) from None
    once = IdempotentRequest(idempotency_keys, admin.subject, idempotency_key, request_hash(body))
    secret = secrets.token_urlsafe(32)
    subscriber = WebhookSubscriber(
        id=uuid4(),
        name=body.name,
        url=str(body.url),
        secrets=[secret],
        event_types=body.event_types,
        created_at=clock.now(),
    )
    async with session.begin():
        if (earlier := await once.earlier(session)) is not None:
            return earlier
        session.add(subscriber)
        # The answer kept for a replay holds the secret: a caller whose first answer was lost
        # has no other way to learn it, and the subscriber's row holds it already.
        answer = await once.answer(
            session,
            201,
            SubscriberPublic(**subscriber.model_dump(exclude={"secrets"}), secret=secret),
        )
    return answer


@router.get("/subscribers", response_model=list[SubscriberPublic])
async def list_subscribers(_: Admin, session: DbSession) -> list[SubscriberPublic]:
    rows = (await session.exec(select(WebhookSubscriber))).all()
    return [SubscriberPublic(**s.model_dump(exclude={"secrets"})) for s in rows]


@router.post("/subscribers/{subscriber_id}/rotate-secret", response_model=SubscriberPublic)
async def rotate_secret(subscriber_id: UUID, _: Admin, session: DbSession) -> SubscriberPublic:
    """A new secret signs from now on; the previous one stays listed so receivers can switch."""
    async with session.begin():
        subscriber = await _subscriber(session, subscriber_id)
        secret = secrets.token_urlsafe(32)
        subscriber.secrets = [secret, subscriber.secrets[0]]
    return SubscriberPublic(**subscriber.model_dump(exclude={"secrets"}), secret=secret)


@router.delete("/subscribers/{subscriber_id}", response_model=SubscriberPublic)
async def deactivate_subscriber(
    subscriber_id: UUID, _: Admin, session: DbSession
) -> SubscriberPublic:
    async with session.begin():
        subscriber = await _subscriber(session, subscriber_id)
        subscriber.active = False
    return SubscriberPublic(**subscriber.model_dump(exclude={"secrets"}))


class ContactIn(BaseModel):
    full_name: PersonName = Field(min_length=2)
    unit_code: Code | None = None
    email: EmailStr | None = None
    is_officer: bool = False
    language: str = Field(default="vi", pattern="^(vi|en)$")
    daily_digest: bool = False


class ContactPublic(ContactIn):
    person_id: str


@router.put("/contacts/{person_id}", response_model=ContactPublic)
async def put_contact(
    person_id: Annotated[str, Path(min_length=1, max_length=SUBJECT_MAX)],
    body: ContactIn,
    _: Admin,
    session: DbSession,
) -> ContactPublic:
    """Liên hệ: email, officer role, language and digest choice of a person."""
    async with session.begin():
        contact = await session.get(Contact, person_id) or Contact(
            person_id=person_id, full_name=body.full_name
        )
        for name, value in body.model_dump().items():
            setattr(contact, name, value)
        session.add(contact)
    return ContactPublic(**contact.model_dump())


@router.get("/contacts", response_model=list[ContactPublic])
async def list_contacts(
    _: Admin, session: DbSession, unit_code: str | None = None
) -> list[ContactPublic]:
    query = select(Contact)
    if unit_code:
        query = query.where(Contact.unit_code == unit_code)
    return [ContactPublic(**c.model_dump()) for c in (await session.exec(query)).all()]


class MyPreferences(BaseModel):
    """What a person chooses for themselves: where email goes, its language, the digest."""

    email: EmailStr | None = None
    language: str = Field(default="vi", pattern="^(vi|en)$")
    daily_digest: bool = False


@router.get("/me/contact", response_model=ContactPublic)
async def my_contact(principal: CurrentPrincipal, session: DbSession) -> ContactPublic:
    """Liên hệ của tôi: as stored, or (never stored yet) what notifications would use."""
    contact = await session.get(Contact, principal.subject) or _new_contact(principal)
    return ContactPublic(**contact.model_dump())


@router.put("/me/contact", response_model=ContactPublic)
async def choose_my_preferences(
    body: MyPreferences, principal: CurrentPrincipal, session: DbSession
) -> ContactPublic:
    """Tôi chọn: my email, language and daily digest. Name, unit and officer role stay as
    the events and the admins recorded them."""
    async with session.begin():
        contact = await session.get(Contact, principal.subject) or _new_contact(principal)
        contact.email = body.email
        contact.language = body.language
        contact.daily_digest = body.daily_digest
        session.add(contact)
    return ContactPublic(**contact.model_dump())


def _new_contact(principal: Principal) -> Contact:
    return Contact(
        person_id=principal.subject,
        full_name=principal.name,
        unit_code=principal.unit_code or None,
        is_officer=principal.has_role(Role.UNIT_OFFICER),
    )


class AttemptPublic(BaseModel):
    attempt: int
    at: datetime
    ok: bool
    status_code: int | None
    error: str | None
    duration_ms: float


class DeliveryPublic(BaseModel):
    id: UUID
    event_id: UUID
    event_type: str
    recipient_id: str
    channel: str
    destination: str
    subject: str
    status: str
    attempts: int
    next_attempt_at: datetime
    last_status_code: int | None
    last_error: str | None
    sent_at: datetime | None
    log: list[AttemptPublic] = []


@router.get("/deliveries", response_model=list[DeliveryPublic])
async def delivery_log(
    _: Admin,
    session: DbSession,
    status: str | None = None,
    channel: str | None = None,
    event_id: UUID | None = None,
    limit: int = Query(default=100, ge=1, le=1000),
) -> list[DeliveryPublic]:
    """Nhật ký gửi: each delivery with its attempts, status codes and last error."""
    query = select(Delivery)
    for column, value in (
        (Delivery.status, status),
        (Delivery.channel, channel),
        (Delivery.event_id, event_id),
    ):
        if value is not None:
            query = query.where(col(column) == value)
    deliveries = (
        await session.exec(query.order_by(col(Delivery.created_at).desc()).limit(limit))
    ).all()
    attempts = (
        await session.exec(
            select(DeliveryAttempt).where(
                col(DeliveryAttempt.delivery_id).in_([d.id for d in deliveries])
            )
        )
    ).all()
    return [
        DeliveryPublic(
            **d.model_dump(),
            log=[AttemptPublic(**a.model_dump()) for a in attempts if a.delivery_id == d.id],
        )
        for d in deliveries
    ]


@router.post("/deliveries/{delivery_id}/redeliver", response_model=DeliveryPublic)
async def redeliver_one(
    delivery_id: UUID, request: Request, _: Admin, clock: CampaignClock
) -> DeliveryPublic:
    """Gửi lại a dead or uncertain delivery (same delivery id: receivers can dedupe)."""
    delivery = await redeliver(request.app.state.sessions, delivery_id, clock.now())
    if delivery is None:
        raise ClientError(
            404, "delivery_id", "not_found", "Không tìm thấy lượt gửi", "Delivery not found"
        )
    return DeliveryPublic(**delivery.model_dump())


async def _inbox(
    session: AsyncSession, recipient_id: str, unread_only: bool, limit: int, offset: int
) -> list[InboxMessagePublic]:
    query = select(InboxMessage).where(InboxMessage.recipient_id == recipient_id)
    if unread_only:
        query = query.where(col(InboxMessage.read_at).is_(None))
    query = query.order_by(col(InboxMessage.created_at).desc()).offset(offset).limit(limit)
    return [_public(m) for m in (await session.exec(query)).all()]


def _public(message: InboxMessage) -> InboxMessagePublic:
    return InboxMessagePublic(
        id=message.id,
        trigger=message.trigger,
        subject=message.subject,
        body=message.body,
        created_at=message.created_at,
        created_on_display=format_date(message.created_at),
        read=message.read_at is not None,
    )


async def _subscriber(session: AsyncSession, subscriber_id: UUID) -> WebhookSubscriber:
    subscriber = await session.get(WebhookSubscriber, subscriber_id)
    if subscriber is None:
        raise ClientError(
            404,
            "subscriber_id",
            "not_found",
            "Không tìm thấy hệ thống đăng ký",
            "Subscriber not found",
        )
    return subscriber
