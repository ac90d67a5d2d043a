"""A burst of webhook deliveries: how fast does one healthy subscriber get them, next to a bare
HTTP client, and does it slow down when slow and failing subscribers share the worker?

    python -m bench.notification_burst [--deliveries 2000] [--rounds 3] [--no-sync-commit]

One phase closing for every unit of a large federation means thousands of deliveries at once.
In one run, on this machine's loopback, to the same receiver (uvicorn, in a process of its
own: `python -m tests.support.receivers`):

  bare      a bare httpx client (one keep-alive pool) posts the healthy subscriber's bodies to
            it, as many at once as the worker gives one subscriber (its slots): the ceiling
  alone     the notifications delivery worker (real PostgreSQL, claims, signed requests, the
            delivery log) delivers the same number to that one healthy subscriber
  mixed     the same, while two slow subscribers (answering after 2 s), two failing ones (500)
            and one refusing connections have deliveries waiting too (a tenth as many each)

Each worker run starts on a fresh database with every delivery pending; it is timed from the
worker's start to the healthy subscriber's last delivery recorded `sent`. The database runs
with the production default, synchronous_commit on (--no-sync-commit: off, as the tests have
it). The three series run one after another, --rounds times; each round's ratios are taken
within it, and the medians are printed too. Prints deliveries per second and ratios; writes
bench/results/notification_burst-<UTC time>.json. Everything shares one machine (2 cores
here): the figures are ratios within this run, not capacity.
"""

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import asyncpg
import httpx
from prometheus_client import CollectorRegistry
from sqlalchemy import make_url
from sqlmodel import col, func, select

from bench.results import save
from services.notifications.config import NotificationsSettings
from services.notifications.service.delivery import DeliveryWorker
from services.notifications.tables import Delivery
from shared.clock import SystemClock
from shared.db import create_engine, session_factory
from shared.migrations import upgrade_to_head
from tests.support.databases import DatabaseFactory
from tests.support.infrastructure import free_port, postgres_admin_url
from tests.support.webhook_subscribers import webhook_subscriber

# The defaults, what a deployment gets, but for the receivers on this machine (which a real
# webhook may not point at).
SETTINGS = NotificationsSettings(webhook_allowed_networks="127.0.0.0/8")
SLOW, FAILING, REFUSING = 2, 2, 1
SLOW_SECONDS = 2.0


def body(n: int) -> bytes:
    return json.dumps(
        {
            "specversion": "1.0",
            "id": str(uuid4()),
            "type": "vn.congdoandaukhi.thidua.phase.closed.v1",
            "data": {"unit": f"U{n:05d}", "text": "Đợt 1 đã kết thúc"},
        },
        ensure_ascii=False,
    ).encode()


class Receiver:
    """The receivers' process: /ok answers 200, /slow* after SLOW_SECONDS, /fail* 500."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.support.receivers",
                f"--port={self.port}",
                f"--slow-seconds={SLOW_SECONDS}",
            ]
        )

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}/{path}"

    async def stats(self) -> dict[str, dict[str, int]]:
        async with httpx.AsyncClient() as client:
            async with asyncio.timeout(30):
                while True:
                    try:
                        response = await client.get(self.url("stats"))
                        stats: dict[str, dict[str, int]] = response.json()
                        return stats
                    except httpx.TransportError:
                        await asyncio.sleep(0.1)  # still starting

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)


async def bare_client(hooks: Receiver, count: int) -> float:
    """Deliveries per second of a plain client posting to the healthy receiver."""
    slots = SETTINGS.per_subscriber_concurrency
    bodies = [body(n) for n in range(count)]
    async with httpx.AsyncClient(limits=httpx.Limits(max_connections=slots)) as client:

        async def post(share: list[bytes]) -> None:
            for content in share:
                response = await client.post(hooks.url("ok"), content=content)
                response.raise_for_status()

        started = time.perf_counter()
        await asyncio.gather(*(post(bodies[i::slots]) for i in range(slots)))
        return count / (time.perf_counter() - started)


async def worker_burst(
    hooks: Receiver, database_url: str, count: int, *, mixed: bool
) -> dict[str, float]:
    engine = create_engine(database_url)
    sessions = session_factory(engine)
    paths = ["ok"]
    if mixed:
        paths += [f"slow{i}" for i in range(SLOW)] + [f"fail{i}" for i in range(FAILING)]
        paths += [f"down{i}" for i in range(REFUSING)]
    now = datetime.now(UTC)
    async with sessions() as session, session.begin():
        for path in paths:
            secret = uuid4().hex
            # Nothing listens on a fresh free port: connections are refused.
            url = f"http://127.0.0.1:{free_port()}/{path}" if path.startswith("down") else None
            subscriber = webhook_subscriber(path, url or hooks.url(path), secret, now)
            session.add(subscriber)
            share = count if path == "ok" else max(1, count // 10)
            session.add_all(
                Delivery(
                    id=uuid4(),
                    event_id=uuid4(),
                    event_type="vn.congdoandaukhi.thidua.phase.closed.v1",
                    channel="webhook",
                    recipient_id=str(subscriber.id),
                    destination=subscriber.url,
                    subject="bench",
                    body=body(n).decode(),
                    status="pending",
                    next_attempt_at=now,
                    created_at=now,
                )
                for n in range(share)
            )
    healthy_url = hooks.url("ok")
    settings = SETTINGS.model_copy(update={"database_url": database_url})
    worker = DeliveryWorker(settings, CollectorRegistry())
    before = (await hooks.stats())["received"]
    started = time.perf_counter()
    task = asyncio.create_task(worker.run(sessions, SystemClock()))
    try:
        while True:
            async with sessions() as session:
                sent = await session.scalar(
                    select(func.count())
                    .select_from(Delivery)
                    .where(col(Delivery.destination) == healthy_url, Delivery.status == "sent")
                )
            if sent == count:
                break
            if task.done():
                task.result()  # the worker died: say why
            await asyncio.sleep(0.02)
        elapsed = time.perf_counter() - started
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await engine.dispose()
    stats = await hooks.stats()
    others = {p: stats["received"].get(p, 0) - before.get(p, 0) for p in paths if p != "ok"}
    return {
        "healthy_deliveries": float(count),
        "healthy_seconds": elapsed,
        "healthy_per_second": count / elapsed,
        "slow_requests_meanwhile": float(sum(v for p, v in others.items() if "slow" in p)),
        "failing_requests_meanwhile": float(sum(v for p, v in others.items() if "fail" in p)),
        "slow_most_at_once": float(
            max((stats["most_at_once"].get(p, 0) for p in others), default=0)
        ),
    }


async def fresh_database(
    databases: DatabaseFactory, admin_url: str, label: str, sync_commit: bool
) -> str:
    url = await databases.create(label)
    if sync_commit:
        # The test helper may switch synchronous_commit off for its databases; production has
        # it on, and each commit then waits for its WAL to reach the disk.
        name = make_url(url).database
        admin = await asyncpg.connect(admin_url)
        try:
            await admin.execute(f'ALTER DATABASE "{name}" RESET synchronous_commit')
        finally:
            await admin.close()
    await asyncio.to_thread(upgrade_to_head, "services.notifications", url)
    return url


async def main(count: int, sync_commit: bool, rounds: int) -> dict[str, Any]:
    hooks = Receiver()
    runs: list[dict[str, Any]] = []
    try:
        await hooks.stats()  # up
        await bare_client(hooks, min(count, 200))  # warm-up: imports, first connections
        with postgres_admin_url() as admin_url:
            databases = DatabaseFactory(admin_url)
            try:
                # Round by round, each series right after the others: a machine shared with
                # other work changes pace over minutes, and a ratio is taken within a round.
                for n in range(rounds):
                    bare = await bare_client(hooks, count)
                    url = await fresh_database(databases, admin_url, f"alone{n}", sync_commit)
                    alone = await worker_burst(hooks, url, count, mixed=False)
                    url = await fresh_database(databases, admin_url, f"mixed{n}", sync_commit)
                    mixed = await worker_burst(hooks, url, count, mixed=True)
                    runs.append(
                        {
                            "bare_client_per_second": bare,
                            "alone": alone,
                            "mixed": mixed,
                            "ratio_alone_to_bare": alone["healthy_per_second"] / bare,
                            "ratio_mixed_to_bare": mixed["healthy_per_second"] / bare,
                        }
                    )
            finally:
                await databases.drop_all()
    finally:
        hooks.stop()

    def median(pick: Callable[[dict[str, Any]], float]) -> float:
        return statistics.median(pick(run) for run in runs)

    return {
        "deliveries": count,
        "rounds": runs,
        "synchronous_commit": sync_commit,
        "worker_concurrency": SETTINGS.worker_concurrency,
        "per_subscriber_concurrency": SETTINGS.per_subscriber_concurrency,
        "median": {
            "bare_client_per_second": median(lambda r: r["bare_client_per_second"]),
            "alone_per_second": median(lambda r: r["alone"]["healthy_per_second"]),
            "mixed_per_second": median(lambda r: r["mixed"]["healthy_per_second"]),
            "ratio_alone_to_bare": median(lambda r: r["ratio_alone_to_bare"]),
            "ratio_mixed_to_bare": median(lambda r: r["ratio_mixed_to_bare"]),
        },
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--deliveries", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-sync-commit", action="store_true")
    arguments = parser.parse_args()
    result = asyncio.run(
        main(arguments.deliveries, not arguments.no_sync_commit, max(1, arguments.rounds))
    )
    print(
        f"{result['deliveries']} deliveries to one healthy webhook subscriber on loopback; "
        f"{result['per_subscriber_concurrency']} slots per subscriber, "
        f"{result['worker_concurrency']} in all; synchronous_commit "
        f"{'on' if result['synchronous_commit'] else 'off'} (2 cores, shared with PostgreSQL "
        "and the receiver)"
    )
    print("             bare httpx     worker: alone   ratio    beside slow+failing   ratio")
    for n, run in enumerate(result["rounds"], 1):
        alone, mixed = run["alone"], run["mixed"]
        print(
            f"  round {n}   {run['bare_client_per_second']:>8.0f} /s"
            f"   {alone['healthy_per_second']:>10.0f} /s   {run['ratio_alone_to_bare']:5.2f}"
            f"   {mixed['healthy_per_second']:>16.0f} /s   {run['ratio_mixed_to_bare']:5.2f}"
            f"   (meanwhile {mixed['slow_requests_meanwhile']:.0f} to the slow, at most "
            f"{mixed['slow_most_at_once']:.0f} at once to one; "
            f"{mixed['failing_requests_meanwhile']:.0f} to the failing)"
        )
    m = result["median"]
    print(
        f"  median    {m['bare_client_per_second']:>8.0f} /s   {m['alone_per_second']:>10.0f} /s"
        f"   {m['ratio_alone_to_bare']:5.2f}   {m['mixed_per_second']:>16.0f} /s"
        f"   {m['ratio_mixed_to_bare']:5.2f}"
    )
    save("notification_burst", result)
