"""The delivery worker: sends due email and webhook deliveries, retries with exponential
backoff and jitter, and gives up (state `dead`, redeliverable by an operator) after the
configured number of attempts.

Each delivery is claimed (`in_flight`) in its own committed transaction before it is sent,
so two workers never send it twice. Sends run as independent tasks, bounded in all and per
destination: a slow or dead receiver holds only its own slots. After a crash, a webhook
left `in_flight` is retried with the same delivery id (receivers dedupe on it), while an
email is marked `uncertain` instead of being sent again: never twice, never silently lost.

When a delivery falls due, and when it was sent, are on the service's clock (the campaign's:
`tell` schedules on it): on a clock that stands still, a retry waits for it to move. What a
receiver checks (a webhook signature's time, an email's Date) stays the machine's.
"""

import asyncio
import logging
import random
from collections import Counter as Tally
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

import httpx
from prometheus_client import CollectorRegistry, Counter
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import col, select

from services.notifications.channels.email import SmtpSettings, send_email
from services.notifications.channels.webhook import DeliveryOutcome, post_webhook
from services.notifications.config import NotificationsSettings
from services.notifications.tables import Delivery, DeliveryAttempt, WebhookSubscriber
from shared.clock import Clock, SystemClock

log = logging.getLogger(__name__)
PENDING, IN_FLIGHT, RETRYING, SENT, DEAD, UNCERTAIN = (
    "pending",
    "in_flight",
    "retrying",
    "sent",
    "dead",
    "uncertain",
)


class DeliveryWorker:
    def __init__(
        self,
        settings: NotificationsSettings,
        registry: CollectorRegistry,
        clock: Clock | None = None,
    ) -> None:
        self._settings = settings
        self._clock: Clock = clock or SystemClock()  # the service's, once `run` is given it
        self._smtp = SmtpSettings(
            host=settings.smtp_host,
            port=settings.smtp_port,
            username=settings.smtp_username,
            password=settings.smtp_password,
            start_tls=settings.smtp_start_tls,
            sender=settings.smtp_sender,
            timeout=settings.smtp_timeout_seconds,
        )
        self._running: set[asyncio.Task[None]] = set()
        self._per_destination: Tally[str] = Tally()
        self._attempts = Counter(
            "notifications_delivery_attempts_total",
            "Delivery attempts by channel and outcome.",
            ["channel", "outcome"],
            registry=registry,
        )

    async def run(self, sessions: async_sessionmaker[Any], clock: Clock) -> None:
        self._clock = clock
        await self.recover(sessions)
        async with httpx.AsyncClient() as client:
            try:
                while True:
                    started = 0
                    try:
                        started = await self.dispatch_due(sessions, client)
                    except Exception:
                        log.exception("delivery worker pass failed; retrying")
                    # Straight on while there is work; otherwise wait for more to fall due.
                    await asyncio.sleep(0 if started else self._settings.worker_poll_seconds)
            finally:
                for task in self._running:
                    task.cancel()
                await asyncio.gather(*self._running, return_exceptions=True)

    async def recover(self, sessions: async_sessionmaker[Any]) -> None:
        """Deliveries a previous process left in flight: resend webhooks, hold emails."""
        async with sessions() as session, session.begin():
            stuck = (await session.exec(select(Delivery).where(Delivery.status == IN_FLIGHT))).all()
            for delivery in stuck:
                if delivery.channel == "webhook":
                    delivery.status = RETRYING
                else:
                    delivery.status = UNCERTAIN
                    delivery.last_error = "interrupted while sending; not resent automatically"
                log.warning(
                    "recovered in-flight delivery",
                    extra={"delivery_id": str(delivery.id), "status": delivery.status},
                )

    async def dispatch_due(
        self, sessions: async_sessionmaker[Any], client: httpx.AsyncClient
    ) -> int:
        """Claim what is due and has free slots; start sending it. Returns how many started."""
        free = self._settings.worker_concurrency - len(self._running)
        if free <= 0:
            return 0
        async with sessions() as session, session.begin():
            query = (
                select(Delivery)
                .where(
                    col(Delivery.status).in_([PENDING, RETRYING]),
                    col(Delivery.next_attempt_at) <= self._clock.now(),
                )
                .order_by(col(Delivery.next_attempt_at))
                .limit(free * 4)
            )
            busy = [
                destination
                for destination, running in self._per_destination.items()
                if running >= self._settings.per_destination_concurrency
            ]
            if busy:
                # Rows of a saturated receiver must not fill the window and starve the others.
                query = query.where(col(Delivery.destination).not_in(busy))
            if session.get_bind().dialect.name == "postgresql":
                query = query.with_for_update(skip_locked=True)
            claimed: list[Delivery] = []
            planned = Tally(self._per_destination)
            for delivery in (await session.exec(query)).all():
                if len(claimed) >= free:
                    break
                if planned[delivery.destination] >= self._settings.per_destination_concurrency:
                    continue  # that receiver is busy; the others go on
                planned[delivery.destination] += 1
                delivery.status = IN_FLIGHT
                claimed.append(delivery)
            secrets = await self._secrets(session, claimed)
        # Counted once the claim is committed: a failed claim holds no receiver's slots.
        self._per_destination.update(d.destination for d in claimed)
        for delivery in claimed:
            task = asyncio.create_task(self._send(sessions, client, delivery, secrets))
            self._running.add(task)
            task.add_done_callback(self._running.discard)
        return len(claimed)

    async def wait_idle(self) -> None:
        """For tests and benchmarks: until every started send has finished."""
        while self._running:
            await asyncio.gather(*list(self._running), return_exceptions=True)

    async def _secrets(self, session: Any, deliveries: list[Delivery]) -> dict[str, str]:
        ids = [UUID(d.recipient_id) for d in deliveries if d.channel == "webhook"]
        if not ids:
            return {}
        subscribers = (
            await session.exec(select(WebhookSubscriber).where(col(WebhookSubscriber.id).in_(ids)))
        ).all()
        return {str(s.id): s.secrets[0] for s in subscribers}

    async def _send(
        self,
        sessions: async_sessionmaker[Any],
        client: httpx.AsyncClient,
        delivery: Delivery,
        secrets: dict[str, str],
    ) -> None:
        try:
            outcome = await self._attempt(client, delivery, secrets)
        except Exception as error:  # a bug must not leave the delivery in flight forever
            log.exception("delivery attempt crashed")
            outcome = DeliveryOutcome(
                ok=False, status_code=None, error=repr(error), retryable=True, duration_ms=0.0
            )
        finally:
            self._per_destination[delivery.destination] -= 1
        await self._record(sessions, delivery.id, outcome)

    async def _attempt(
        self, client: httpx.AsyncClient, delivery: Delivery, secrets: dict[str, str]
    ) -> DeliveryOutcome:
        if delivery.channel == "email":
            return await send_email(
                self._smtp,
                delivery.destination,
                delivery.subject,
                delivery.body,
                delivery.html,
                delivery.id,
            )
        secret = secrets.get(delivery.recipient_id)
        if secret is None:
            return DeliveryOutcome(
                ok=False,
                status_code=None,
                retryable=False,
                error="subscriber removed",
                duration_ms=0.0,
            )
        return await post_webhook(
            client,
            delivery.destination,
            delivery.body.encode(),
            secret,
            delivery.id,
            delivery.event_type,
            timeout=self._settings.webhook_timeout_seconds,
        )

    async def _record(
        self, sessions: async_sessionmaker[Any], delivery_id: UUID, outcome: DeliveryOutcome
    ) -> None:
        now = self._clock.now()
        async with sessions() as session, session.begin():
            delivery = await session.get(Delivery, delivery_id)
            if delivery is None:
                return
            delivery.attempts += 1
            delivery.last_status_code, delivery.last_error = outcome.status_code, outcome.error
            if outcome.ok:
                delivery.status, delivery.sent_at = SENT, now
            elif outcome.retryable and delivery.attempts < self._settings.max_attempts:
                delivery.status = RETRYING
                # A receiver's Retry-After is honoured when it asks for longer than our backoff.
                wait = max(self.backoff(delivery.attempts), outcome.retry_after_seconds or 0.0)
                delivery.next_attempt_at = now + timedelta(seconds=wait)
            else:
                delivery.status = DEAD
            session.add(
                DeliveryAttempt(
                    delivery_id=delivery_id,
                    attempt=delivery.attempts,
                    at=now,
                    ok=outcome.ok,
                    status_code=outcome.status_code,
                    error=outcome.error,
                    duration_ms=outcome.duration_ms,
                )
            )
            self._attempts.labels(channel=delivery.channel, outcome=delivery.status).inc()

    def backoff(self, attempts: int) -> float:
        """Exponential, capped, with full jitter so retries to one receiver spread out."""
        ceiling = min(
            self._settings.retry_max_seconds,
            self._settings.retry_base_seconds * 2 ** (attempts - 1),
        )
        return random.uniform(ceiling / 2, ceiling)


async def redeliver(
    sessions: async_sessionmaker[Any], delivery_id: UUID, now: datetime
) -> Delivery | None:
    """An operator's second chance for a dead or uncertain delivery: due `now`, attempts
    reset."""
    async with sessions() as session, session.begin():
        delivery: Delivery | None = await session.get(Delivery, delivery_id)
        if delivery is not None and delivery.status in (DEAD, UNCERTAIN):
            delivery.status, delivery.attempts = RETRYING, 0
            delivery.next_attempt_at = now
        return delivery
