"""The delivery worker on real PostgreSQL, posting to real loopback receivers: a slow or failing
subscriber holds only its own slots, a healthy one gets everything, once.

No timing decides a pass here: the slow receiver answers only when the test releases it, so
"not blocked behind it" is "everything arrived while it still had not answered"."""

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest
from prometheus_client import CollectorRegistry
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import col, select

from services.notifications.config import NotificationsSettings
from services.notifications.service.delivery import DeliveryWorker, redeliver
from services.notifications.service.notifier import forward_to_subscribers
from services.notifications.tables import Delivery, DeliveryAttempt, WebhookSubscriber
from shared.clock import SystemClock
from shared.messaging.cloudevents import new_envelope
from tests.support.databases import DatabaseFactory
from tests.support.infrastructure import free_port
from tests.support.polling import eventually
from tests.support.receivers import WebhookReceivers
from tests.support.webhook_subscribers import webhook_subscriber
from tests.unit.event_examples import unit

pytestmark = pytest.mark.integration
SLOTS = 3


@pytest.fixture
async def sessions(databases: DatabaseFactory) -> AsyncIterator[async_sessionmaker[Any]]:
    async with databases.migrated("notifications") as sessions:
        yield sessions


@pytest.fixture
def hooks() -> Iterator[WebhookReceivers]:
    receivers = WebhookReceivers(hold_slow=True)
    server = receivers.start()
    yield receivers
    receivers.release_slow()
    server.should_exit = True


def settings(**overrides: Any) -> NotificationsSettings:
    values: dict[str, Any] = {
        "worker_concurrency": 16,
        "per_subscriber_concurrency": SLOTS,
        "max_attempts": 3,
        "retry_base_seconds": 0.05,
        "retry_max_seconds": 0.2,
        "webhook_timeout_seconds": 120,  # the held receiver must not time out meanwhile
        "claim_lease_seconds": 600,  # nor the claims of what it holds lapse
        "worker_poll_seconds": 0.05,
        # The receivers listen on this machine, which a real webhook may not point at.
        "webhook_allowed_networks": "127.0.0.0/8",
    } | overrides
    return NotificationsSettings(**values)


@asynccontextmanager
async def running(
    sessions: async_sessionmaker[Any], config: NotificationsSettings
) -> AsyncIterator[DeliveryWorker]:
    worker = DeliveryWorker(config, CollectorRegistry())
    task = asyncio.create_task(worker.run(sessions, SystemClock()))
    try:
        yield worker
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def subscribe(
    sessions: async_sessionmaker[Any], hooks: WebhookReceivers, path: str, url: str | None = None
) -> WebhookSubscriber:
    secret = uuid4().hex
    hooks.secrets[path] = secret
    subscriber = webhook_subscriber(path, url or hooks.url(path), secret, datetime.now(UTC))
    async with sessions() as session, session.begin():
        session.add(subscriber)
    return subscriber


async def deliver(
    sessions: async_sessionmaker[Any],
    subscriber: WebhookSubscriber,
    count: int,
    due: datetime | None = None,
) -> list[UUID]:
    now = datetime.now(UTC)
    deliveries = [
        Delivery(
            id=uuid4(),
            event_id=uuid4(),
            event_type="vn.congdoandaukhi.thidua.test.burst.v1",
            recipient_id=str(subscriber.id),
            channel="webhook",
            destination=subscriber.url,
            subject="burst",
            body=f'{{"n": {n}, "to": "{subscriber.name}"}}',
            status="pending",
            next_attempt_at=due or now,
            created_at=now,
        )
        for n in range(count)
    ]
    async with sessions() as session, session.begin():
        session.add_all(deliveries)
    return [d.id for d in deliveries]


async def statuses(sessions: async_sessionmaker[Any], ids: list[UUID]) -> dict[UUID, str]:
    async with sessions() as session:
        rows = (await session.exec(select(Delivery).where(col(Delivery.id).in_(ids)))).all()
        return {d.id: d.status for d in rows}


async def test_a_healthy_subscriber_gets_all_while_slow_and_failing_ones_hold_their_slots(
    sessions: async_sessionmaker[Any], hooks: WebhookReceivers
) -> None:
    ok = await subscribe(sessions, hooks, "ok")
    slow = await subscribe(sessions, hooks, "slow")
    failing = await subscribe(sessions, hooks, "fail")
    # Nothing listens there: every attempt is a refused connection.
    down = await subscribe(sessions, hooks, "down", url=f"http://127.0.0.1:{free_port()}/down")
    slow_ids = await deliver(sessions, slow, 10)
    failing_ids = await deliver(sessions, failing, 2)
    down_ids = await deliver(sessions, down, 2)
    ok_ids = await deliver(sessions, ok, 60)

    async with running(sessions, settings()):
        await eventually(lambda: _now(len(hooks.at("ok"))), lambda n: n >= len(ok_ids))
        # Every healthy delivery arrived while the slow subscriber had answered none of its own,
        # and it was holding all its slots (no more: the rest of its deliveries wait their turn).
        assert hooks.answered["slow"] == 0
        assert await eventually(lambda: _now(hooks.in_progress["slow"]), lambda n: n >= SLOTS)
        assert hooks.most_at_once["slow"] == SLOTS
        assert hooks.most_at_once["ok"] <= SLOTS

        # Failing subscribers are retried, each attempt logged, then given up: still while the
        # slow one holds its slots.
        given_up = failing_ids + down_ids
        assert set(
            (
                await eventually(
                    lambda: statuses(sessions, given_up),
                    lambda s: set(s.values()) == {"dead"},
                )
            ).values()
        ) == {"dead"}
        assert hooks.answered["slow"] == 0
        async with sessions() as session:
            rows = (
                await session.exec(select(Delivery).where(col(Delivery.id).in_(given_up)))
            ).all()
            log = (
                await session.exec(
                    select(DeliveryAttempt).where(col(DeliveryAttempt.delivery_id).in_(given_up))
                )
            ).all()
        assert {d.attempts for d in rows} == {3}
        assert Counter(a.delivery_id for a in log) == {i: 3 for i in given_up}
        assert {a.status_code for a in log if a.delivery_id in failing_ids} == {500}
        assert all(a.status_code is None and a.error for a in log if a.delivery_id in down_ids)
        # The same delivery id on every attempt: a receiver can tell a retry from a new event.
        assert Counter(r.delivery_id for r in hooks.at("fail")) == {str(i): 3 for i in failing_ids}

        hooks.release_slow()
        await eventually(
            lambda: statuses(sessions, slow_ids), lambda s: set(s.values()) == {"sent"}
        )

    # The healthy subscriber: each delivery once, signed, sent at the first attempt.
    received = hooks.at("ok")
    assert Counter(r.delivery_id for r in received) == {str(i): 1 for i in ok_ids}
    assert all(r.signature_valid for r in received)
    # Over its kept-alive connections, one per slot: not a connection per delivery.
    assert len({r.client_port for r in received}) <= SLOTS
    async with sessions() as session:
        rows = (await session.exec(select(Delivery).where(col(Delivery.id).in_(ok_ids)))).all()
    assert {(d.status, d.attempts) for d in rows} == {("sent", 1)}
    assert Counter(r.delivery_id for r in hooks.at("slow")) == {str(i): 1 for i in slow_ids}
    assert hooks.most_at_once["slow"] == SLOTS


async def test_new_and_redelivered_work_is_sent_without_waiting_for_the_poll(
    sessions: async_sessionmaker[Any], hooks: WebhookReceivers
) -> None:
    ok = await subscribe(sessions, hooks, "ok")
    failing = await subscribe(sessions, hooks, "fail")
    # An hour between polls: only the wake-up on a committed delivery can start these.
    async with running(sessions, settings(worker_poll_seconds=3600, max_attempts=1)) as worker:
        await worker.wait_idle()
        await asyncio.sleep(0.2)  # past its first, empty pass: the worker is waiting now
        ids = await deliver(sessions, ok, 5)
        await eventually(
            lambda: statuses(sessions, ids), lambda s: set(s.values()) == {"sent"}, timeout=20
        )

        [dead] = await deliver(sessions, failing, 1)
        await eventually(lambda: statuses(sessions, [dead]), lambda s: s[dead] == "dead")
        hooks.healed = True
        again = await redeliver(sessions, dead, datetime.now(UTC))
        assert again is not None
        await eventually(
            lambda: statuses(sessions, [dead]), lambda s: s[dead] == "sent", timeout=20
        )
    assert {r.delivery_id for r in hooks.at("fail")} == {str(dead)}


async def test_a_retrying_delivery_redelivered_is_sent_at_once(
    sessions: async_sessionmaker[Any], hooks: WebhookReceivers
) -> None:
    # Its next attempt an hour away: redelivering it (the portal's "Gửi lại") sends it now,
    # as the page says, instead of leaving it due as it was.
    failing = await subscribe(sessions, hooks, "fail")
    hour = {"retry_base_seconds": 3600, "retry_max_seconds": 3600, "max_attempts": 5}
    async with running(sessions, settings(worker_poll_seconds=3600, **hour)):
        [waiting] = await deliver(sessions, failing, 1)
        await eventually(lambda: statuses(sessions, [waiting]), lambda s: s[waiting] == "retrying")
        hooks.healed = True
        assert await redeliver(sessions, waiting, datetime.now(UTC)) is not None
        await eventually(
            lambda: statuses(sessions, [waiting]), lambda s: s[waiting] == "sent", timeout=20
        )


async def test_deliveries_a_handler_writes_as_rows_wake_the_worker_too(
    sessions: async_sessionmaker[Any], hooks: WebhookReceivers
) -> None:
    # The consumer's path: `forward_to_subscribers` writes its deliveries with a bulk insert,
    # which fires no mapper event; they must start at the commit all the same.
    ok = await subscribe(sessions, hooks, "ok")
    async with running(sessions, settings(worker_poll_seconds=3600)) as worker:
        await worker.wait_idle()
        await asyncio.sleep(0.2)  # past its first, empty pass: the worker is waiting now
        event = new_envelope(unit(), source="/tests", subject="PVGAS")
        async with sessions() as session, session.begin():
            await forward_to_subscribers(session, event, datetime.now(UTC))
        await eventually(lambda: _now(len(hooks.at("ok"))), lambda n: n == 1, timeout=20)
    [received] = hooks.at("ok")
    assert received.delivery_id is not None and ok.id is not None


async def test_deliveries_in_flight_when_the_worker_stops_are_resent_under_the_same_id(
    sessions: async_sessionmaker[Any], hooks: WebhookReceivers
) -> None:
    slow = await subscribe(sessions, hooks, "slow")
    ids = await deliver(sessions, slow, SLOTS + 2)
    async with running(sessions, settings()):
        await eventually(lambda: _now(hooks.in_progress["slow"]), lambda n: n >= SLOTS)
    # Stopped mid-send: the worker took back what it interrupted (due again at once, not when
    # its lease lapses), the others still wait; none is lost.
    assert Counter((await statuses(sessions, ids)).values()) == {"retrying": SLOTS, "pending": 2}

    hooks.release_slow()
    async with running(sessions, settings()):
        await eventually(lambda: statuses(sessions, ids), lambda s: set(s.values()) == {"sent"})
    # At least once: the interrupted ones were sent again, each under its one delivery id.
    seen = Counter(r.delivery_id for r in hooks.at("slow"))
    assert set(seen) == {str(i) for i in ids}
    assert sorted(seen.values()) == [1, 1] + [2] * SLOTS


async def _now(value: int) -> int:
    return value


async def test_a_starting_replica_leaves_the_sends_of_a_running_one_alone(
    sessions: async_sessionmaker[Any], hooks: WebhookReceivers
) -> None:
    """Replicas share the deliveries table. A starting worker took back every delivery in
    flight as a crashed process's: the running replica's sends were claimed again and each
    receiver got them twice."""
    slow = await subscribe(sessions, hooks, "slow")
    ids = await deliver(sessions, slow, SLOTS)
    async with running(sessions, settings()):
        await eventually(lambda: _now(hooks.in_progress["slow"]), lambda n: n >= SLOTS)
        async with running(sessions, settings()) as second:
            await second.wait_idle()
            await asyncio.sleep(0.5)  # several of its passes: each would claim a taken-back one
            assert set((await statuses(sessions, ids)).values()) == {"in_flight"}
            hooks.release_slow()
            await eventually(lambda: statuses(sessions, ids), lambda s: set(s.values()) == {"sent"})
    assert Counter(r.delivery_id for r in hooks.at("slow")) == {str(i): 1 for i in ids}


async def test_a_crashed_workers_sends_are_taken_back_by_a_running_one_when_the_lease_lapses(
    sessions: async_sessionmaker[Any], hooks: WebhookReceivers
) -> None:
    """A replica killed mid-send leaves its claims in flight. They were taken back only when
    some worker started, so with the other replicas running they stayed unsent for good."""
    ok = await subscribe(sessions, hooks, "ok")
    short = settings(webhook_timeout_seconds=1, smtp_timeout_seconds=1, claim_lease_seconds=2)
    async with running(sessions, short) as worker:
        await worker.wait_idle()
        # Written not yet due, so that this worker does not claim them first.
        later = datetime.now(UTC) + timedelta(hours=1)
        crashed, alive = await deliver(sessions, ok, 2, due=later)
        async with sessions() as session, session.begin():
            for delivery_id, lease in ((crashed, -1), (alive, 3600)):
                delivery = await session.get(Delivery, delivery_id)
                assert delivery is not None
                # As a claim leaves it, when its worker died (claimed when it fell due).
                delivery.status = "in_flight"
                delivery.next_attempt_at = datetime.now(UTC)
                delivery.claimed_until = datetime.now(UTC) + timedelta(seconds=lease)
        await eventually(
            lambda: statuses(sessions, [crashed]), lambda s: s[crashed] == "sent", timeout=20
        )
        # Another replica's claim, its lease still running, is that replica's to finish.
        assert (await statuses(sessions, [alive]))[alive] == "in_flight"
    assert [r.delivery_id for r in hooks.at("ok")] == [str(crashed)]


def test_a_lease_shorter_than_two_sends_is_refused_at_start() -> None:
    # A claim waits for at most one send on its slot, then sends: a lease shorter than that
    # would hand a send still running to another replica.
    with pytest.raises(ValueError, match="claim_lease_seconds"):
        settings(webhook_timeout_seconds=30, claim_lease_seconds=59)


async def test_a_send_whose_claim_was_taken_back_does_not_write_over_the_new_claim(
    sessions: async_sessionmaker[Any], hooks: WebhookReceivers
) -> None:
    """A send kept waiting past its lease: another worker took the delivery back and claimed
    it again. The first send's outcome was written by id alone, over the new claim."""
    slow = await subscribe(sessions, hooks, "slow")
    [delivery_id] = await deliver(sessions, slow, 1)
    async with running(sessions, settings()):
        await eventually(lambda: _now(hooks.in_progress["slow"]), lambda n: n >= 1)
        taken = datetime.now(UTC) + timedelta(hours=1)  # as another worker's claim writes it
        async with sessions() as session, session.begin():
            delivery = await session.get(Delivery, delivery_id)
            assert delivery is not None and delivery.status == "in_flight"
            delivery.claimed_until = taken
        hooks.release_slow()
        await eventually(lambda: _now(hooks.answered["slow"]), lambda n: n >= 1)
        await asyncio.sleep(0.5)  # the outcome's batch written (or, rightly, not)
    async with sessions() as session:
        delivery = await session.get(Delivery, delivery_id)
    assert delivery is not None
    assert (delivery.status, delivery.claimed_until) == ("in_flight", taken)


async def test_a_claim_from_before_leases_is_taken_back_at_a_start_only(
    sessions: async_sessionmaker[Any], hooks: WebhookReceivers
) -> None:
    """A row claimed without a lease, by a worker from before leases (a rollout's older
    replica), may be sending now: a running worker leaves it; one starting takes it back,
    as every start did before."""
    ok = await subscribe(sessions, hooks, "ok")
    short = settings(webhook_timeout_seconds=1, smtp_timeout_seconds=1, claim_lease_seconds=2)
    [delivery_id] = await deliver(sessions, ok, 1, due=datetime.now(UTC) + timedelta(hours=1))
    async with running(sessions, short) as worker:
        await worker.wait_idle()
        await asyncio.sleep(0.2)  # past its first pass: it has started
        async with sessions() as session, session.begin():
            delivery = await session.get(Delivery, delivery_id)
            assert delivery is not None
            delivery.status, delivery.next_attempt_at = "in_flight", datetime.now(UTC)
        await asyncio.sleep(1.5)  # three looks for lapsed claims
        assert (await statuses(sessions, [delivery_id]))[delivery_id] == "in_flight"
    async with running(sessions, short):
        await eventually(
            lambda: statuses(sessions, [delivery_id]), lambda s: s[delivery_id] == "sent"
        )
