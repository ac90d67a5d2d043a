"""A burst of webhook deliveries, some receivers slow, some failing: do the healthy ones wait?

    python -m bench.notification_burst [--deliveries 3000]

One phase closing for every unit of a large federation means thousands of deliveries at
once. In one run, on this machine's loopback:
  (a) baseline: a bare httpx client posts the same bodies to the healthy receivers with the
      same concurrency;
  (b) the notifications delivery worker (real PostgreSQL, signed requests, delivery log)
      delivers the burst to healthy, slow (1 s) and failing (500) receivers.
Prints deliveries per second for both and how long the healthy receivers waited, with ratios.
"""

import argparse
import asyncio
import json
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
from prometheus_client import CollectorRegistry
from sqlmodel import col, func, select

from services.notifications.config import NotificationsSettings
from services.notifications.delivery import DeliveryWorker
from services.notifications.tables import Delivery, WebhookSubscriber
from shared.db import create_engine, session_factory
from shared.migrations import upgrade_to_head
from tests.support.databases import DatabaseFactory
from tests.support.infrastructure import postgres_admin_url
from tests.support.receivers import WebhookReceivers

RESULTS = Path(__file__).with_name("results")
HEALTHY, SLOW, FAILING = 8, 2, 2
CONCURRENCY = 32


def body(n: int) -> str:
    return json.dumps(
        {
            "specversion": "1.0",
            "id": str(uuid4()),
            "type": "bench",
            "data": {"unit": f"U{n:05d}", "text": "Đợt 1 đã kết thúc"},
        },
        ensure_ascii=False,
    )


async def bare_client(hooks: WebhookReceivers, count: int) -> float:
    """Deliveries per second of a plain client posting to healthy receivers."""
    limit = asyncio.Semaphore(CONCURRENCY)
    async with httpx.AsyncClient(limits=httpx.Limits(max_connections=CONCURRENCY)) as client:

        async def post(n: int) -> None:
            async with limit:
                response = await client.post(hooks.url(f"ok{n % HEALTHY}"), content=body(n))
                response.raise_for_status()

        started = time.perf_counter()
        await asyncio.gather(*(post(n) for n in range(count)))
        return count / (time.perf_counter() - started)


async def worker_burst(hooks: WebhookReceivers, database_url: str, count: int) -> dict[str, float]:
    engine = create_engine(database_url)
    sessions = session_factory(engine)
    paths = (
        [f"ok{i}" for i in range(HEALTHY)]
        + [f"slow{i}" for i in range(SLOW)]
        + [f"fail{i}" for i in range(FAILING)]
    )
    now = datetime.now(UTC)
    async with sessions() as session, session.begin():
        subscribers = {}
        for path in paths:
            secret = uuid4().hex
            hooks.secrets[path] = secret
            subscriber = WebhookSubscriber(
                id=uuid4(),
                name=path,
                url=hooks.url(path),
                secrets=[secret],
                event_types=[],
                created_at=now,
            )
            session.add(subscriber)
            subscribers[path] = subscriber
        session.add_all(
            Delivery(
                id=uuid4(),
                event_id=uuid4(),
                event_type="bench",
                channel="webhook",
                recipient_id=str(subscribers[paths[n % len(paths)]].id),
                destination=hooks.url(paths[n % len(paths)]),
                subject="bench",
                body=body(n),
                status="pending",
                next_attempt_at=now,
                created_at=now,
            )
            for n in range(count)
        )
    settings = NotificationsSettings(
        database_url=database_url,
        worker_concurrency=CONCURRENCY,
        per_destination_concurrency=4,
        max_attempts=2,
        retry_base_seconds=0.5,
        webhook_timeout_seconds=5,
    )
    worker = DeliveryWorker(settings, CollectorRegistry())
    healthy = [hooks.url(f"ok{i}") for i in range(HEALTHY)]
    started = time.perf_counter()
    healthy_done_at = None
    async with httpx.AsyncClient(limits=httpx.Limits(max_connections=CONCURRENCY * 2)) as client:
        while True:
            started_now = await worker.dispatch_due(sessions, client)
            async with sessions() as session:
                open_healthy = await session.scalar(
                    select(func.count())
                    .select_from(Delivery)
                    .where(col(Delivery.destination).in_(healthy), Delivery.status != "sent")
                )
                unfinished = await session.scalar(
                    select(func.count())
                    .select_from(Delivery)
                    .where(col(Delivery.status).in_(["pending", "in_flight", "retrying"]))
                )
            if open_healthy == 0 and healthy_done_at is None:
                healthy_done_at = time.perf_counter() - started
            if unfinished == 0:
                break
            await asyncio.sleep(0 if started_now else 0.05)
        await worker.wait_idle()
    total = time.perf_counter() - started
    async with sessions() as session:
        sent = (
            await session.scalar(
                select(func.count()).select_from(Delivery).where(Delivery.status == "sent")
            )
            or 0
        )
        dead = (
            await session.scalar(
                select(func.count()).select_from(Delivery).where(Delivery.status == "dead")
            )
            or 0
        )
    await engine.dispose()
    healthy_count = count * HEALTHY // len(paths)
    return {
        "sent": float(sent),
        "dead": float(dead),
        "total_seconds": total,
        "healthy_deliveries": float(healthy_count),
        "healthy_wait_seconds": healthy_done_at or total,
        "healthy_per_second": healthy_count / (healthy_done_at or total),
    }


async def main(count: int) -> dict[str, Any]:
    hooks = WebhookReceivers(slow_seconds=1.0)
    server = hooks.start()
    try:
        baseline = await bare_client(hooks, count * HEALTHY // (HEALTHY + SLOW + FAILING))
        with postgres_admin_url() as admin_url:
            databases = DatabaseFactory(admin_url)
            url = await databases.create("burst")
            await asyncio.to_thread(upgrade_to_head, "services.notifications", url)
            try:
                burst = await worker_burst(hooks, url, count)
            finally:
                await databases.drop_all()
    finally:
        server.should_exit = True
    return {
        "deliveries": count,
        "bare_client_per_second": baseline,
        "worker": burst,
        "ratio_healthy_worker_to_bare": burst["healthy_per_second"] / baseline,
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--deliveries", type=int, default=3000)
    result = asyncio.run(main(parser.parse_args().deliveries))
    worker = result["worker"]
    print(
        f"burst of {result['deliveries']} deliveries to {HEALTHY} healthy, {SLOW} slow (1 s) "
        f"and {FAILING} failing receivers (2 cores, shared with PostgreSQL and the receivers)"
    )
    bare = result["bare_client_per_second"]
    print(f"  bare httpx client, healthy only   {bare:>8.0f} /s (baseline)")
    print(
        f"  worker, healthy receivers         {worker['healthy_per_second']:>8.0f} /s; "
        f"they waited {worker['healthy_wait_seconds']:.1f} s"
    )
    print(
        f"  worker, whole burst               {worker['total_seconds']:>8.1f} s; "
        f"sent {worker['sent']:.0f}, dead {worker['dead']:.0f}"
    )
    print(f"  ratio healthy worker / bare       {result['ratio_healthy_worker_to_bare']:>8.3f}")
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    (RESULTS / f"notification_burst-{stamp}.json").write_text(json.dumps(result, indent=2))
