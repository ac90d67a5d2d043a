"""The delivery worker: sends due email and webhook deliveries, retries with exponential
backoff and jitter, and gives up (state `dead`, redeliverable by an operator) after the
configured number of attempts.

Three parts, one event loop:

- the dispatcher claims due deliveries in batches (`in_flight`, committed before anything is
  sent, rows locked with SKIP LOCKED so two workers never claim one twice), as many as there
  are free slots: `worker_concurrency` in all and `per_subscriber_concurrency` per recipient
  (a webhook subscriber, a person's email). A slow or failing subscriber holds at most its
  own slots; the others keep theirs. It claims again as soon as a slot frees or a delivery is
  committed in this process, and polls (`worker_poll_seconds`) only when it is idle;
- each send is a task; webhooks share one keep-alive connection pool;
- the recorder writes outcomes in batches (the delivery's new state and the log's attempt,
  one transaction for all that finished meanwhile), and only then frees their slots.

At least once: a delivery is `in_flight` from its claim until its outcome is committed. After
a crash, a webhook left `in_flight` is retried with the same delivery id (receivers dedupe on
it), while an email is marked `uncertain` instead of being sent again: never twice, never
silently lost. No order between deliveries is promised (the oldest due is claimed first).

When a delivery falls due, and when it was sent, are on the service's clock (the campaign's:
`tell` schedules on it): on a clock that stands still, a retry waits for it to move. What a
receiver checks (a webhook signature's time, an email's Date) stays the machine's.
"""

import asyncio
import contextlib
import logging
import random
import weakref
from collections import Counter as Tally
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

import httpx
from prometheus_client import CollectorRegistry, Counter
from sqlalchemy import event, tuple_, update
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlalchemy.orm import Session, object_session
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


# A recipient's slots are keyed by (channel, recipient): a webhook subscriber's id, a person.
SlotKey = tuple[str, str]


def slot_of(delivery: Delivery) -> SlotKey:
    return (delivery.channel, delivery.recipient_id)


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
        self._sending: set[asyncio.Task[None]] = set()
        # Claimed and not yet recorded, per recipient: a slot is held from the claim's commit
        # to the outcome's, so `in_flight` rows never outnumber the slots.
        self._held: Tally[SlotKey] = Tally()
        self._outcomes: list[tuple[Delivery, DeliveryOutcome]] = []
        self._outcome_ready = asyncio.Event()
        self._wake = asyncio.Event()  # a slot was freed, or new work was committed
        self._idle = asyncio.Event()  # no slot held
        self._idle.set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._attempts = Counter(
            "notifications_delivery_attempts_total",
            "Delivery attempts by channel and outcome.",
            ["channel", "outcome"],
            registry=registry,
        )

    async def run(self, sessions: async_sessionmaker[Any], clock: Clock) -> None:
        self._clock = clock
        self._loop = asyncio.get_running_loop()
        _workers.add(self)
        await self.recover(sessions)
        concurrency = self._settings.worker_concurrency
        # One pool for every subscriber, kept alive between deliveries: no connection set up
        # per request. It has a connection for every slot, so it never makes a send wait.
        limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
        async with httpx.AsyncClient(limits=limits) as client:
            recorder = asyncio.create_task(self._record_outcomes(sessions))
            try:
                await self._dispatch(sessions, client)
            finally:
                _workers.discard(self)
                for task in self._sending:
                    task.cancel()  # left in flight: resent (webhooks) or held (emails) on start
                await asyncio.gather(*self._sending, return_exceptions=True)
                recorder.cancel()
                await asyncio.gather(recorder, return_exceptions=True)
                await self._record_what_finished(sessions)

    def wake(self) -> None:
        """Claim now rather than at the next poll: new deliveries were committed. Safe from
        any thread."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        try:
            here = asyncio.get_running_loop()
        except RuntimeError:
            here = None
        if here is loop:
            self._wake.set()
        else:
            loop.call_soon_threadsafe(self._wake.set)

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

    async def _dispatch(self, sessions: async_sessionmaker[Any], client: httpx.AsyncClient) -> None:
        poll = self._settings.worker_poll_seconds
        while True:
            # Cleared before the pass: a slot freed or work committed during it wakes the next.
            self._wake.clear()
            try:
                started = await self.dispatch_due(sessions, client)
            except Exception:
                log.exception("delivery worker pass failed; retrying")
                started = 0
                await asyncio.sleep(poll)  # the database is likely down: do not spin
            if started:
                continue  # more may be due for the slots still free
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(poll):
                    await self._wake.wait()

    async def dispatch_due(
        self, sessions: async_sessionmaker[Any], client: httpx.AsyncClient
    ) -> int:
        """Claim what is due and has free slots; start sending it. Returns how many started."""
        free = self._settings.worker_concurrency - self._held.total()
        if free <= 0:
            return 0
        per_subscriber = self._settings.per_subscriber_concurrency
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
            busy = [key for key, held in self._held.items() if held >= per_subscriber]
            if busy:
                # A saturated subscriber's rows must not fill the window and starve the others.
                query = query.where(
                    tuple_(col(Delivery.channel), col(Delivery.recipient_id)).not_in(busy)
                )
            if session.get_bind().dialect.name == "postgresql":
                query = query.with_for_update(skip_locked=True)
            claimed: list[Delivery] = []
            planned = Tally(self._held)
            for delivery in (await session.exec(query)).all():
                if len(claimed) >= free:
                    break
                if planned[slot_of(delivery)] >= per_subscriber:
                    continue  # that subscriber's slots are taken; the others go on
                planned[slot_of(delivery)] += 1
                claimed.append(delivery)
            if not claimed:
                return 0
            # One statement for the batch; the loaded rows are updated in memory too.
            await session.execute(
                update(Delivery)
                .where(col(Delivery.id).in_([d.id for d in claimed]))
                .values(status=IN_FLIGHT)
            )
            secrets = await self._secrets(session, claimed)
        # Counted once the claim is committed: a failed claim holds no subscriber's slots.
        self._held.update(slot_of(d) for d in claimed)
        self._idle.clear()
        for delivery in claimed:
            task = asyncio.create_task(self._send(client, delivery, secrets))
            self._sending.add(task)
            task.add_done_callback(self._sending.discard)
        return len(claimed)

    async def wait_idle(self) -> None:
        """For tests and benchmarks, while `run` runs: until every claimed delivery's outcome
        is recorded."""
        await self._idle.wait()

    async def _secrets(self, session: Any, deliveries: list[Delivery]) -> dict[str, str]:
        ids = {UUID(d.recipient_id) for d in deliveries if d.channel == "webhook"}
        if not ids:
            return {}
        subscribers = (
            await session.exec(select(WebhookSubscriber).where(col(WebhookSubscriber.id).in_(ids)))
        ).all()
        return {str(s.id): s.secrets[0] for s in subscribers}

    async def _send(
        self, client: httpx.AsyncClient, delivery: Delivery, secrets: dict[str, str]
    ) -> None:
        try:
            outcome = await self._attempt(client, delivery, secrets)
        except Exception as error:  # a bug must not leave the delivery in flight forever
            log.exception("delivery attempt crashed")
            outcome = DeliveryOutcome(
                ok=False, status_code=None, error=repr(error), retryable=True, duration_ms=0.0
            )
        self._outcomes.append((delivery, outcome))
        self._outcome_ready.set()

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

    async def _record_outcomes(self, sessions: async_sessionmaker[Any]) -> None:
        """Whatever finished while the previous batch was written goes in the next one."""
        while True:
            await self._outcome_ready.wait()
            self._outcome_ready.clear()
            if not await self._record_what_finished(sessions):
                # Kept for the next try, slots still held: nothing is claimed meanwhile.
                self._outcome_ready.set()
                await asyncio.sleep(self._settings.worker_poll_seconds)

    async def _record_what_finished(self, sessions: async_sessionmaker[Any]) -> bool:
        batch, self._outcomes = self._outcomes, []
        if not batch:
            return True
        try:
            await self._record(sessions, batch)
        except Exception:
            log.exception("recording delivery outcomes failed; retrying")
            self._outcomes[:0] = batch
            return False
        self._held.subtract(slot_of(delivery) for delivery, _ in batch)
        self._held = +self._held  # drop the recipients at zero: `busy` stays short
        self._wake.set()
        if not self._held:
            self._idle.set()
        return True

    async def _record(
        self,
        sessions: async_sessionmaker[Any],
        batch: list[tuple[Delivery, DeliveryOutcome]],
    ) -> None:
        now = self._clock.now()
        changes: list[dict[str, Any]] = []
        log_entries: list[DeliveryAttempt] = []
        for delivery, outcome in batch:
            # The claimed row is ours while in flight: its attempts are still as loaded.
            attempts = delivery.attempts + 1
            status, sent_at, due = DEAD, delivery.sent_at, delivery.next_attempt_at
            if outcome.ok:
                status, sent_at = SENT, now
            elif outcome.retryable and attempts < self._settings.max_attempts:
                status = RETRYING
                # A receiver's Retry-After is honoured when it asks for longer than our backoff.
                wait = max(self.backoff(attempts), outcome.retry_after_seconds or 0.0)
                due = now + timedelta(seconds=wait)
            changes.append(
                {
                    "id": delivery.id,
                    "status": status,
                    "attempts": attempts,
                    "last_status_code": outcome.status_code,
                    "last_error": outcome.error,
                    "sent_at": sent_at,
                    "next_attempt_at": due,
                }
            )
            log_entries.append(
                DeliveryAttempt(
                    delivery_id=delivery.id,
                    attempt=attempts,
                    at=now,
                    ok=outcome.ok,
                    status_code=outcome.status_code,
                    error=outcome.error,
                    duration_ms=outcome.duration_ms,
                )
            )
        async with sessions() as session, session.begin():
            # An UPDATE per row by primary key, sent as one batch.
            await session.execute(update(Delivery), changes)
            session.add_all(log_entries)
        for (delivery, _), change in zip(batch, changes, strict=True):
            self._attempts.labels(channel=delivery.channel, outcome=change["status"]).inc()

    def backoff(self, attempts: int) -> float:
        """Exponential, capped, with full jitter so retries to one receiver spread out."""
        ceiling = min(
            self._settings.retry_max_seconds,
            self._settings.retry_base_seconds * 2 ** (attempts - 1),
        )
        return random.uniform(ceiling / 2, ceiling)


# Wake-up on new work: a delivery committed in this process (by an event's handler, the
# scheduler, an operator's redelivery) wakes the workers at once instead of at their next poll.
# Another process's are found by the poll.
_workers: "weakref.WeakSet[DeliveryWorker]" = weakref.WeakSet()
_NEW_WORK = "notifications.delivery_due"


def _note_new_work(mapper: Any, connection: Any, target: Delivery) -> None:
    if target.status in (PENDING, RETRYING):
        session = object_session(target)
        if session is not None:
            session.info[_NEW_WORK] = True


def _wake_workers(session: Session) -> None:
    # Listens on every session of the process: for the others it is one dict lookup.
    if session.info.pop(_NEW_WORK, False):
        for worker in list(_workers):
            worker.wake()


def _forget_new_work(session: Session) -> None:
    session.info.pop(_NEW_WORK, None)


# The worker's own claims and records are bulk statements: they fire none of these.
event.listen(Delivery, "after_insert", _note_new_work)
event.listen(Delivery, "after_update", _note_new_work)
event.listen(Session, "after_commit", _wake_workers)
event.listen(Session, "after_rollback", _forget_new_work)


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
