"""For admins: the systems that receive Thi Đua's events by webhook (created, their secret
rotated, deactivated) and the delivery log, with redelivery."""

import secrets
from datetime import datetime
from typing import Annotated
from uuid import UUID, uuid4

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field, HttpUrl, UrlConstraints, field_validator
from pydantic_core import PydanticCustomError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.notifications.api.access import Admin
from services.notifications.channels.destinations import DestinationRefused, check_destination
from services.notifications.config import NotificationsSettings
from services.notifications.service.delivery import redeliver
from services.notifications.tables import (
    Channel,
    Delivery,
    DeliveryAttempt,
    WebhookSubscriber,
    idempotency_keys,
)
from shared.auth import deployment_settings
from shared.contracts.bounds import EVENT_TYPES_MAX, URL_MAX, EventType, PersonName
from shared.contracts.vocabulary import DeliveryStatus
from shared.http.dependencies import CampaignClock, DbSession
from shared.http.errors import ClientError
from shared.http.filters import equal_where_given
from shared.http.idempotency import IdempotencyKey, IdempotentRequest, request_hash
from shared.http.paging import ROWS_PAGE_MAX, limit_query
from shared.http.request_body import RequestBody

router = APIRouter(prefix="/api/v1", tags=["notifications"])


class SubscriberIn(RequestBody):
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
    status: DeliveryStatus
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
    status: DeliveryStatus | None = None,
    channel: Channel | None = None,
    event_id: UUID | None = None,
    limit: int = limit_query(100, ROWS_PAGE_MAX),
) -> list[DeliveryPublic]:
    """Nhật ký gửi: each delivery with its attempts, status codes and last error."""
    query = select(Delivery).where(
        *equal_where_given(
            (Delivery.status, status), (Delivery.channel, channel), (Delivery.event_id, event_id)
        )
    )
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
    """Gửi lại a dead, uncertain or retrying delivery now (same delivery id: receivers can
    dedupe); a pending or sent one is answered as it is."""
    delivery = await redeliver(request.app.state.sessions, delivery_id, clock.now())
    if delivery is None:
        raise ClientError(
            404, "delivery_id", "not_found", "Không tìm thấy lượt gửi", "Delivery not found"
        )
    return DeliveryPublic(**delivery.model_dump())


async def _subscriber(session: AsyncSession, subscriber_id: UUID) -> WebhookSubscriber:
    # Locked until the change commits: two rotations at once each kept the secret before
    # both, so the first one's new secret, already handed out, was signed with never.
    subscriber = await session.get(WebhookSubscriber, subscriber_id, with_for_update=True)
    if subscriber is None:
        raise ClientError(
            404,
            "subscriber_id",
            "not_found",
            "Không tìm thấy hệ thống đăng ký",
            "Subscriber not found",
        )
    return subscriber
