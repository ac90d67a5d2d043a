"""Each consumer applying a year of events in-process, against the same consumer with handlers
that do nothing (decoding, the processed-event ids and the transaction: the floor).

    python -m bench.consumer_batches [--initiatives 2000] [--service scoring] [--profile]
                                     [--postgres]

No broker: the records of `bench.scoring_replay`'s year are handed to each service's own
`EventConsumer` (its `define().subscriptions` and `before_commit`) in batches of 500, one topic
after another as a poll of one partition gives them, on a fresh SQLite file (`make run`'s
default) or PostgreSQL. It isolates what the handlers cost from Kafka's and the HTTP
player's share: the figure to compare is the ratio to the no-op consumer of the same run.
`--per-event` applies without the batch handlers (the subscriptions' `handler` only), to
compare both paths in one run; `--profile` prints cProfile's top functions per service.
"""

import argparse
import asyncio
import cProfile
import dataclasses
import io
import pstats
import tempfile
import time
from collections.abc import Sequence
from typing import Any

from prometheus_client import CollectorRegistry
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.results import save
from bench.scoring_replay import year_of_events
from shared.db import create_engine, session_factory
from shared.messaging.cloudevents import Envelope, new_envelope, to_record
from shared.messaging.consumer import EventConsumer, Subscription
from shared.messaging.dead_letters import IncomingRecord
from shared.metrics import MessagingMetrics
from shared.service_app import ServiceDefinition

BATCH = 500


def definition(name: str) -> ServiceDefinition:
    if name == "scoring":
        from services.scoring.bootstrap import define as scoring

        return scoring()
    if name == "reporting":
        from services.reporting.bootstrap import define as reporting

        return reporting()
    from services.notifications.bootstrap import define as notifications

    return notifications()


async def _nothing(event: Envelope[Any], session: Any) -> None:
    pass


class _NoDeadLetters:
    """Nothing is refused here; a refusal would be a bug of the benchmark's events."""

    async def park(self, record: IncomingRecord, reason: str, kind: str) -> None:
        raise AssertionError(f"refused: {reason} ({kind})")


def batches(records: list[IncomingRecord]) -> list[list[IncomingRecord]]:
    out: list[list[IncomingRecord]] = []
    for topic in dict.fromkeys(r.topic for r in records):
        mine = [r for r in records if r.topic == topic]
        out += [mine[n : n + BATCH] for n in range(0, len(mine), BATCH)]
    return out


async def consumer_on(
    engine: AsyncEngine,
    service: ServiceDefinition,
    subscriptions: Sequence[Subscription],
    *,
    hook: bool = True,
) -> EventConsumer:
    """`service`'s EventConsumer with `subscriptions`, on its tables made anew in `engine`'s
    database; a refused event fails the benchmark (_NoDeadLetters)."""
    async with engine.begin() as connection:
        await connection.run_sync(service.messaging.outbox.metadata.create_all)
    return EventConsumer(
        subscriptions,
        session_factory(engine),
        service.messaging.processed_events,
        _NoDeadLetters(),  # type: ignore[arg-type]
        MessagingMetrics.create(service.name, CollectorRegistry()),
        before_commit=service.before_commit if hook else None,
    )


async def apply(
    service: ServiceDefinition,
    subscriptions: Sequence[Subscription],
    url: str,
    records: list[IncomingRecord],
    *,
    hook: bool = True,
) -> float:
    engine = create_engine(url)
    consumer = await consumer_on(engine, service, subscriptions, hook=hook)
    started = time.perf_counter()
    for batch in batches(records):
        await consumer.consume_batch(batch)
    elapsed = time.perf_counter() - started
    await engine.dispose()
    return len(records) / elapsed


async def measure(name: str, initiatives: int, url_of: Any, per_event: bool, profile: bool) -> Any:
    service = definition(name)
    events = year_of_events(initiatives, max(30, initiatives // 20))
    records = []
    for n, event in enumerate(events):
        record = to_record(new_envelope(event, source="/bench", subject=str(n)))
        records.append(IncomingRecord(record.topic, 0, n, record.key, record.value, record.headers))
    subscriptions = list(service.subscriptions)
    if per_event:
        subscriptions = [dataclasses.replace(s, batch=None) for s in subscriptions]
    floor = await apply(
        service,
        [Subscription(s.contract, _nothing) for s in subscriptions],
        url_of("floor"),
        records,
        hook=False,
    )
    profiler = cProfile.Profile() if profile else None
    if profiler:
        profiler.enable()
    rate = await apply(service, subscriptions, url_of(name), records)
    if profiler:
        profiler.disable()
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(45)
        print(text.getvalue())
    return {"service": name, "events": len(records), "floor_per_s": floor, "per_s": rate}


async def main(arguments: argparse.Namespace) -> list[Any]:
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for name in arguments.service or ["scoring", "reporting", "notifications"]:
            if arguments.postgres:
                from tests.support.databases import DatabaseFactory
                from tests.support.infrastructure import postgres_admin_url

                with postgres_admin_url() as admin:
                    databases = DatabaseFactory(admin)
                    urls = {k: await databases.create(k) for k in ("floor", name)}
                    try:
                        results.append(
                            await measure(
                                name,
                                arguments.initiatives,
                                urls.__getitem__,
                                arguments.per_event,
                                arguments.profile,
                            )
                        )
                    finally:
                        await databases.drop_all()
                continue
            stamp = time.monotonic_ns()

            def url_of(kind: str, stamp: int = stamp) -> str:
                return f"sqlite+aiosqlite:///{folder}/{kind}-{stamp}.sqlite3"

            results.append(
                await measure(
                    name, arguments.initiatives, url_of, arguments.per_event, arguments.profile
                )
            )
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--initiatives", type=int, default=2000)
    parser.add_argument(
        "--service", action="append", choices=["scoring", "reporting", "notifications"]
    )
    parser.add_argument("--per-event", action="store_true")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--postgres", action="store_true")
    arguments = parser.parse_args()
    results = asyncio.run(main(arguments))
    mode = "per-event" if arguments.per_event else "batch"
    print(f"{'service':<14}{'events':>8}{'floor/s':>10}{mode + '/s':>14}{'ratio':>8}")
    for r in results:
        print(
            f"{r['service']:<14}{r['events']:>8}{r['floor_per_s']:>10.0f}"
            f"{r['per_s']:>14.0f}{r['per_s'] / r['floor_per_s']:>8.3f}"
        )
    save(f"consumer_batches-{mode}", results)
