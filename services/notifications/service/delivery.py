"""The delivery worker: sends due email and webhook deliveries, retries with exponential
backoff and jitter, and gives up (state `dead`, redeliverable by an operator) after the
configured number of attempts.

Three parts, one event loop:

- the dispatcher claims due deliveries in batches (`in_flight`, committed before anything is
  sent; rows locked with SKIP LOCKED, so two workers never claim one twice). Each recipient
  (a webhook subscriber, a person's email) has `per_subscriber_concurrency` slots, and at most
  `worker_concurrency` sends run in all. A webhook subscriber's next deliveries are claimed
  while its slots are busy (as many again as it has slots), so a freed slot starts the next
  one at once; an email is claimed only for a free slot. The dispatcher claims again when a
  subscriber's queue runs low or a delivery is committed in this process, and polls
  (`worker_poll_seconds`) only when it is idle;
- each send is a task on its recipient's slot; each subscriber has its own keep-alive
  connection pool, as large as its slots. A slow or failing subscriber holds only its slots
  and its connections: the others keep their pace;
- the recorder writes outcomes in batches (the delivery's new state and the log's attempt:
  one transaction for all that finished meanwhile).

At least once: a delivery is `in_flight` from its claim until its outcome is committed, and
its worker's until the claim's lease (`claim_lease_seconds`) lapses; replicas share the table,
and a starting one leaves the others' claims alone. A webhook interrupted (its worker crashed,
its lease lapsed) is resent under the same delivery id (receivers dedupe on it), while an
email is marked `uncertain` instead of being sent again: never twice, never silently lost.
Every worker takes back lapsed claims when it starts and every quarter lease while it runs.
On a clean stop, a worker puts back the claims it never started as they were and takes back
the sends it interrupted, at once. No order between deliveries is promised (the oldest due is
claimed first).

When a delivery falls due, and when it was sent, are on the service's clock (the campaign's:
`tell` schedules on it): on a clock that stands still, a retry waits for it to move. What a
receiver checks (a webhook signature's time, an email's Date) stays the machine's.
"""

import asyncio
import contextlib
import logging
import random
import time
import weakref
from collections import Counter as Tally
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

import httpx
from prometheus_client import CollectorRegistry, Counter
from sqlalchemy import ColumnElement, bindparam, event, insert, or_, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session, object_session
from sqlmodel import col, select

from services.notifications.channels.destinations import GuardedTransport
from services.notifications.channels.email import Mail, SmtpSettings, send_email
from services.notifications.channels.webhook import DeliveryOutcome, post_webhook
from services.notifications.config import NotificationsSettings
from services.notifications.tables import Channel, Delivery, DeliveryAttempt, WebhookSubscriber
from shared.clock import Clock, SystemClock
from shared.contracts.vocabulary import DELIVERY_DUE, REDELIVERABLE, DeliveryStatus
from shared.upsert import table_of

log = logging.getLogger(__name__)


# What a worker claims, as the claim's SQL lists it (in one order: the same statement each pass).
_DUE = tuple(sorted(DELIVERY_DUE))
RECORD_LINGER_SECONDS = 0.01
SECRETS_TTL_SECONDS = 5.0

# A recipient's slots are keyed by (channel, recipient): a webhook subscriber's id, a person.
SlotKey = tuple[str, str]


def slot_of(delivery: "Delivery | Claim") -> SlotKey:
    return (delivery.channel, delivery.recipient_id)


async def _take_back(sessions: async_sessionmaker[Any], which: ColumnElement[bool]) -> None:
    """Deliveries in flight that their worker will not finish: a webhook is due again (resent
    under its id, which receivers dedupe on); an email is held as `uncertain` (it may have
    gone: an operator decides)."""
    webhook = _deliveries.c.channel == Channel.webhook
    changes = (
        (webhook, {"status": DeliveryStatus.retrying}),
        (
            ~webhook,
            {
                "status": DeliveryStatus.uncertain,
                "last_error": "interrupted while sending; not resent automatically",
            },
        ),
    )
    async with sessions() as session, session.begin():
        for channel, values in changes:
            taken = await session.execute(
                update(_deliveries)
                .where(which, channel)
                .values(**values, claimed_until=None)
                .returning(_deliveries.c.id)
            )
            for (delivery_id,) in taken:
                log.warning(
                    "took back an interrupted delivery",
                    extra={"delivery_id": str(delivery_id), "status": values["status"]},
                )


@dataclass(frozen=True, slots=True)
class Claim:
    """A claimed delivery: what sending it and recording its outcome need. Plain columns
    rather than ORM objects: at hundreds a second, building those costs more than sending."""

    id: UUID
    channel: str
    recipient_id: str
    destination: str
    event_type: str
    subject: str
    body: str
    html: str | None
    attempts: int
    sent_at: datetime | None
    next_attempt_at: datetime
    # The claim's lease as written: the row is still this claim's while it holds this value
    # (taken back after a lapse, and claimed again, it holds another).
    claimed_until: datetime


def _still_ours(claim: Claim) -> ColumnElement[bool]:
    return (_deliveries.c.id == claim.id) & (_deliveries.c.claimed_until == claim.claimed_until)


_deliveries = table_of(Delivery)
_attempt_log = table_of(DeliveryAttempt)
_CLAIMED = [_deliveries.c[name] for name in Claim.__slots__]
# The outcome of an attempt, one row of a batch (Core: an executemany, no ORM objects).
_RECORD = (
    update(_deliveries)
    # Only while the claim is ours: one that lapsed and was taken back (a send kept waiting for
    # a slot past its lease) is another worker's row now, whatever this send's outcome.
    .where(
        _deliveries.c.id == bindparam("b_id"),
        _deliveries.c.claimed_until == bindparam("b_lease"),
    )
    .values(
        status=bindparam("b_status"),
        attempts=bindparam("b_attempts"),
        last_status_code=bindparam("b_status_code"),
        last_error=bindparam("b_error"),
        sent_at=bindparam("b_sent_at"),
        next_attempt_at=bindparam("b_due"),
        claimed_until=None,
    )
)


class DeliveryWorker:
    """The service's worker that sends what is due (the module's three parts); made in
    `bootstrap.define`, with its slots, claims and subscribers' connection pools."""

    def __init__(
        self,
        settings: NotificationsSettings,
        registry: CollectorRegistry,
        clock: Clock | None = None,
    ) -> None:
        self._clock: Clock = clock or SystemClock()  # the service's, once `run` is given it
        self._settings = settings
        # Leases are on the machine's time: the campaign's may stand still (the demo's), and
        # every replica compares a lease with its own machine's.
        self._machine: Clock = SystemClock()
        self._next_recovery = 0.0  # time.monotonic() of the next look for lapsed claims: now
        self._smtp = SmtpSettings(
            host=settings.smtp_host,
            port=settings.smtp_port,
            username=settings.smtp_username,
            password=settings.smtp_password,
            start_tls=settings.smtp_start_tls,
            sender=settings.smtp_sender,
            timeout=settings.smtp_timeout_seconds,
        )
        # A keep-alive connection pool per subscriber, as large as its slots. Not one shared
        # pool: httpcore's work per request grows with the pool's connections and waiting
        # requests (encode/httpx#3215), so a slow subscriber's held connections would cost
        # every other subscriber's sends CPU (most of the worker's, in the burst benchmark).
        self._clients: dict[str, httpx.AsyncClient] = {}
        self._tls = httpx.create_ssl_context()  # built once (it reads the CA bundle), shared
        # subscriber id -> its signing secret, and when it was read (time.monotonic)
        self._secrets: dict[str, tuple[str, float]] = {}
        # Claimed and waiting for one of their recipient's slots, in the order claimed.
        self._ready: dict[SlotKey, deque[Claim]] = {}
        self._sending: Tally[SlotKey] = Tally()  # sends in progress: the slots taken
        self._tasks: set[asyncio.Task[None]] = set()
        self._outcomes: list[tuple[Claim, DeliveryOutcome]] = []
        self._outcome_ready = asyncio.Event()
        self._interrupted: list[Claim] = []  # sends cancelled by a stop: given back on it
        self._wake = asyncio.Event()  # room to claim more, or new work committed
        self._idle = asyncio.Event()  # nothing claimed, sending or waiting to be recorded
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
        recorder = asyncio.create_task(self._record_outcomes(sessions))
        try:
            await self._dispatch(sessions)
        finally:
            _workers.discard(self)
            for task in self._tasks:
                task.cancel()  # given back below: resent (webhooks) or held (emails)
            await asyncio.gather(*self._tasks, return_exceptions=True)
            recorder.cancel()
            await asyncio.gather(recorder, return_exceptions=True)
            clients, self._clients = self._clients, {}
            await asyncio.gather(*(c.aclose() for c in clients.values()), return_exceptions=True)
            with contextlib.suppress(Exception):  # best effort: `recover` does it anyway
                async with asyncio.timeout(5):
                    await self._record_what_finished(sessions)
                    await self._unclaim_unsent(sessions)
                    await self._give_back_interrupted(sessions)

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

    async def recover(self, sessions: async_sessionmaker[Any], *, starting: bool) -> None:
        """Take back the deliveries whose claim has lapsed (their worker crashed): resend
        webhooks, hold emails. A claim still running is another worker's, sending it now, and
        is left alone. A row claimed without a lease (by a worker from before leases) is taken
        back only when this worker starts, as every start did then: taken back periodically,
        an older replica's sends would be taken while it makes them, during a rollout."""
        in_flight = _deliveries.c.status == DeliveryStatus.in_flight
        lease = _deliveries.c.claimed_until
        lapsed = lease < self._machine.now()
        await _take_back(sessions, in_flight & (lapsed | lease.is_(None) if starting else lapsed))

    async def _give_back_interrupted(self, sessions: async_sessionmaker[Any]) -> None:
        """On stopping: the sends this worker cancelled are taken back at once, rather than
        when their lease lapses."""
        interrupted, self._interrupted = self._interrupted, []
        if interrupted:
            in_flight = _deliveries.c.status == DeliveryStatus.in_flight
            await _take_back(sessions, in_flight & or_(*map(_still_ours, interrupted)))

    async def wait_idle(self) -> None:
        """For tests and benchmarks, while `run` runs: until every claimed delivery's outcome
        is recorded."""
        await self._idle.wait()

    async def _dispatch(self, sessions: async_sessionmaker[Any]) -> None:
        poll = self._settings.worker_poll_seconds
        while True:
            # Cleared before the pass: room made or work committed during it wakes the next.
            self._wake.clear()
            try:
                if time.monotonic() >= self._next_recovery:
                    # First thing, then every quarter lease: a replica that crashed left its
                    # claims in flight, and the others take them back once the lease lapses,
                    # without waiting for it to restart.
                    await self.recover(sessions, starting=not self._next_recovery)
                    self._next_recovery = time.monotonic() + self._settings.claim_lease_seconds / 4
                claimed = await self._claim(sessions)
            except Exception:
                log.exception("delivery worker pass failed; retrying")
                claimed = 0
                await asyncio.sleep(poll)  # the database is likely down: do not spin
            if claimed:
                continue  # more may be due for the room still left
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(poll):
                    await self._wake.wait()

    def _claimable(self) -> int:
        """How many more may be claimed now in all: sending and waiting, twice the slots."""
        waiting = sum(len(queue) for queue in self._ready.values())
        return 2 * self._settings.worker_concurrency - self._sending.total() - waiting

    def _room(self, key: SlotKey) -> int:
        """How many more of `key`'s deliveries may be claimed now.

        A webhook subscriber's next deliveries are claimed while its slots are busy, as many
        as it has slots: each freed slot starts the next at once, without waiting for the
        database. Emails are claimed only for a free slot: one claimed but never sent would
        be held as `uncertain` after a crash, rather than sent."""
        slots = self._settings.per_subscriber_concurrency
        waiting = len(self._ready.get(key, ()))
        ahead = slots if key[0] == Channel.webhook else 0
        return slots + ahead - self._sending[key] - waiting

    async def _claim(self, sessions: async_sessionmaker[Any]) -> int:
        """Claim what is due and has room (see `_room`), start what has a free slot. Returns
        how many were claimed."""
        concurrency = self._settings.worker_concurrency
        waiting = sum(len(q) for q in self._ready.values())
        free = self._claimable()
        if free <= 0:
            return 0
        busy = {key for key in {*self._sending, *self._ready} if self._room(key) <= 0}
        async with sessions() as session, session.begin():
            # The window is read without the bodies: only what is claimed is loaded whole.
            query = (
                select(col(Delivery.id), col(Delivery.channel), col(Delivery.recipient_id))
                .where(
                    col(Delivery.status).in_(_DUE),
                    col(Delivery.next_attempt_at) <= self._clock.now(),
                )
                .order_by(col(Delivery.next_attempt_at))
                .limit(free * 2)
            )
            if busy:
                # A saturated subscriber's rows must not fill the window and starve the others.
                query = query.where(
                    tuple_(col(Delivery.channel), col(Delivery.recipient_id)).not_in(busy)
                )
            if session.get_bind().dialect.name == "postgresql":
                query = query.with_for_update(skip_locked=True)
            chosen: list[UUID] = []
            room: dict[SlotKey, int] = {}
            email_room = concurrency - self._sending.total() - waiting  # see `_room`
            for delivery_id, channel, recipient_id in (await session.execute(query)).all():
                if len(chosen) >= free:
                    break
                key = (channel, recipient_id)
                if key not in room:
                    room[key] = self._room(key)
                if room[key] <= 0 or (channel == Channel.email and email_room <= 0):
                    continue  # that subscriber has all it may have; the others go on
                room[key] -= 1
                email_room -= channel == Channel.email
                chosen.append(delivery_id)
            if not chosen:
                return 0
            # One statement claims the batch and loads it (rows locked above: still due).
            rows = await session.execute(
                update(_deliveries)
                .where(
                    _deliveries.c.id.in_(chosen),
                    _deliveries.c.status.in_(_DUE),  # SQLite locks nothing
                )
                .values(
                    status=DeliveryStatus.in_flight,
                    claimed_until=self._machine.now()
                    + timedelta(seconds=self._settings.claim_lease_seconds),
                )
                .returning(*_CLAIMED)
            )
            claimed = [Claim(*row) for row in rows]
            await self._refresh_secrets(session, claimed)
        # Queued once the claim is committed: a failed claim holds no subscriber's slots.
        order = {delivery_id: n for n, delivery_id in enumerate(chosen)}
        claimed.sort(key=lambda d: order[d.id])  # the order chosen: oldest due first
        for delivery in claimed:
            self._ready.setdefault(slot_of(delivery), deque()).append(delivery)
        if claimed:
            self._idle.clear()
        self._start_ready()
        return len(claimed)

    def _start_ready(self) -> None:
        """Start claimed deliveries on their recipients' free slots, within the global limit."""
        slots, concurrency = (
            self._settings.per_subscriber_concurrency,
            self._settings.worker_concurrency,
        )
        # Emails first: one claimed must not wait, unsent, behind webhooks (see `_room`).
        for key in sorted(self._ready, key=lambda key: key[0] != Channel.email):
            queue = self._ready[key]
            while queue and self._sending[key] < slots:
                if self._sending.total() >= concurrency:
                    return
                self._sending[key] += 1
                task = asyncio.create_task(self._send(queue.popleft()))
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)
            if not queue:
                del self._ready[key]

    async def _refresh_secrets(self, session: Any, claimed: list[Claim]) -> None:
        """The signing secrets of the claimed deliveries' subscribers, read again when older
        than SECRETS_TTL_SECONDS (a rotation signs with the new one within that)."""
        now = time.monotonic()
        stale = {
            UUID(d.recipient_id)
            for d in claimed
            if d.channel == Channel.webhook
            and now - self._secrets.get(d.recipient_id, ("", -SECRETS_TTL_SECONDS))[1]
            >= SECRETS_TTL_SECONDS
        }
        if not stale:
            return
        rows = await session.exec(
            select(WebhookSubscriber).where(col(WebhookSubscriber.id).in_(stale))
        )
        for subscriber in stale:
            self._secrets.pop(str(subscriber), None)  # a removed one is told so
        self._secrets.update({str(s.id): (s.secrets[0], now) for s in rows})

    async def _send(self, delivery: Claim) -> None:
        try:
            outcome = await self._attempt(delivery)
        except asyncio.CancelledError:
            self._interrupted.append(delivery)  # the worker is stopping: see `run`
            raise
        except Exception as error:  # a bug must not leave the delivery in flight forever
            log.exception("delivery attempt crashed")
            outcome = DeliveryOutcome(
                ok=False, status_code=None, error=repr(error), retryable=True, duration_ms=0.0
            )
        key = slot_of(delivery)
        self._sending[key] -= 1
        if not self._sending[key]:
            del self._sending[key]  # only recipients with sends in progress: `busy` stays short
        self._outcomes.append((delivery, outcome))
        self._outcome_ready.set()
        self._start_ready()  # the slot goes to the next claimed one at once
        # Claim again once its queue runs low, not after every send: one pass then claims
        # several. When the limit in all held the others back, at once.
        slots = self._settings.per_subscriber_concurrency
        if len(self._ready.get(key, ())) <= slots // 2 or self._claimable() <= slots:
            self._wake.set()

    async def _attempt(self, delivery: Claim) -> DeliveryOutcome:
        if delivery.channel == Channel.email:
            mail = Mail(
                delivery.destination, delivery.subject, delivery.body, delivery.html, delivery.id
            )
            return await send_email(self._smtp, mail)
        secret, _ = self._secrets.get(delivery.recipient_id, (None, 0.0))
        if secret is None:
            return DeliveryOutcome(
                ok=False,
                status_code=None,
                retryable=False,
                error="subscriber removed",
                duration_ms=0.0,
            )
        return await post_webhook(
            self._client_for(delivery.recipient_id),
            delivery.destination,
            delivery.body.encode(),
            secret,
            delivery.id,
            delivery.event_type,
            timeout=self._settings.webhook_timeout_seconds,
        )

    def _client_for(self, subscriber_id: str) -> httpx.AsyncClient:
        client = self._clients.get(subscriber_id)
        if client is None:
            slots = self._settings.per_subscriber_concurrency
            # Connects only to public (or allow-listed) addresses, resolved at each new
            # connection: a subscriber's name may resolve elsewhere than at registration.
            client = httpx.AsyncClient(
                transport=GuardedTransport(
                    self._settings.allowed_networks(),
                    verify=self._tls,
                    limits=httpx.Limits(max_connections=slots, max_keepalive_connections=slots),
                )
            )
            self._clients[subscriber_id] = client
        return client

    async def _record_outcomes(self, sessions: async_sessionmaker[Any]) -> None:
        """Whatever finished while the previous batch was written goes in the next one."""
        while True:
            await self._outcome_ready.wait()
            # What finishes meanwhile joins this batch: one transaction records many, and
            # nothing waits for it (the slots are free already; the rows stay `in_flight`).
            await asyncio.sleep(RECORD_LINGER_SECONDS)
            self._outcome_ready.clear()
            if not await self._record_what_finished(sessions):
                self._outcome_ready.set()  # kept for the next try; still `in_flight` meanwhile
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
        if not (self._outcomes or self._sending or self._ready):
            self._idle.set()
        return True

    async def _record(
        self,
        sessions: async_sessionmaker[Any],
        batch: list[tuple[Claim, DeliveryOutcome]],
    ) -> None:
        now = self._clock.now()
        changes: list[dict[str, Any]] = []
        log_entries: list[dict[str, Any]] = []
        for delivery, outcome in batch:
            # The claimed row is ours while in flight: its attempts are still as loaded.
            attempts = delivery.attempts + 1
            status, sent_at, due = DeliveryStatus.dead, delivery.sent_at, delivery.next_attempt_at
            if outcome.ok:
                status, sent_at = DeliveryStatus.sent, now
            elif outcome.retryable and attempts < self._settings.max_attempts:
                status = DeliveryStatus.retrying
                # A receiver's Retry-After is honoured when it asks for longer than our backoff.
                wait = max(self.backoff(attempts), outcome.retry_after_seconds or 0.0)
                due = now + timedelta(seconds=wait)
            changes.append(
                {
                    "b_id": delivery.id,
                    "b_lease": delivery.claimed_until,
                    "b_status": status,
                    "b_attempts": attempts,
                    "b_status_code": outcome.status_code,
                    "b_error": outcome.error,
                    "b_sent_at": sent_at,
                    "b_due": due,
                }
            )
            log_entries.append(
                {
                    "delivery_id": delivery.id,
                    "attempt": attempts,
                    "at": now,
                    "ok": outcome.ok,
                    "status_code": outcome.status_code,
                    "error": outcome.error,
                    "duration_ms": outcome.duration_ms,
                }
            )
        async with sessions() as session, session.begin():
            await session.execute(_RECORD, changes)
            await session.execute(insert(_attempt_log), log_entries)
        for (delivery, _), change in zip(batch, changes, strict=True):
            self._attempts.labels(channel=delivery.channel, outcome=change["b_status"]).inc()

    async def _unclaim_unsent(self, sessions: async_sessionmaker[Any]) -> None:
        """On stopping: claimed deliveries never started are due again, as they were."""
        unsent = [d for queue in self._ready.values() for d in queue]
        self._ready.clear()
        if not unsent:
            return
        async with sessions() as session, session.begin():
            await session.execute(
                update(_deliveries)
                .where(
                    _deliveries.c.id == bindparam("b_id"),
                    _deliveries.c.claimed_until == bindparam("b_lease"),
                )
                .values(status=bindparam("b_status"), claimed_until=None),
                [
                    {
                        "b_id": d.id,
                        "b_lease": d.claimed_until,
                        "b_status": DeliveryStatus.retrying
                        if d.attempts
                        else DeliveryStatus.pending,
                    }
                    for d in unsent
                ],
            )

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
    if target.status in DELIVERY_DUE:
        session = object_session(target)
        if session is not None:
            session.info[_NEW_WORK] = True


def note_new_work(session: Session | AsyncSession) -> None:
    """Deliveries written as rows (a bulk insert fires no mapper event): wake the workers at
    the commit all the same."""
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
    """An operator's second chance for a dead or uncertain delivery, or a retrying one not to
    wait for its next attempt: due `now`, attempts reset."""
    async with sessions() as session, session.begin():
        # Locked: a worker claiming it meanwhile is waited for and its claim read (in flight:
        # answered as it is). Read unlocked, a claimed delivery was put back to retrying over
        # the claim, and sent again by the next worker while the first one was sending it.
        delivery: Delivery | None = await session.get(Delivery, delivery_id, with_for_update=True)
        if delivery is not None and delivery.status in REDELIVERABLE:
            delivery.status, delivery.attempts = DeliveryStatus.retrying, 0
            delivery.next_attempt_at = now
        return delivery
