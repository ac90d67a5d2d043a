"""How much does Thi Đua add on top of Kafka itself?

    python -m bench.initiative_flow [--events 2000]

In one run, on one broker:
  (a) baseline: raw aiokafka produces N `initiative submitted` records (idempotent, acks=all)
      and a raw consumer group reads them back;
  (b) the flow: the same N events are published to thidua.initiatives.v1 and the reporting
      service (a real process on real PostgreSQL) projects them. Latency per event is from
      the moment it was handed to the producer until its projection committed (the
      processed_events row is written in the same transaction as the projection).
Prints both and their ratio; writes bench/results/initiative_flow-<time>.json.
"""

import argparse
import asyncio
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import uuid4

from aiokafka import AIOKafkaProducer
from sqlalchemy import select

from bench.raw_kafka import raw_consume
from bench.results import save
from services.reporting.tables import messaging
from shared.contracts import InitiativeAuthor, InitiativeSubmitted, topics
from shared.contracts.topics import declared_topics
from shared.db import create_engine, session_factory
from shared.messaging.cloudevents import KafkaRecord, new_envelope, to_record
from tests.support.databases import DatabaseFactory
from tests.support.infrastructure import create_topic, kafka_bootstrap, postgres_admin_url
from tests.support.services import ServiceProcess


def records(count: int, units: int = 50) -> list[KafkaRecord]:
    return [
        to_record(
            new_envelope(
                InitiativeSubmitted(
                    initiative_id=uuid4(),
                    campaign_code="2022",
                    phase_code="dot-1",
                    unit_code=f"BENCH-{n % units:03d}",
                    title=f"Sáng kiến đo tải số {n}",
                    field="technical",
                    authors=(
                        InitiativeAuthor(
                            member_id=f"B{n}", full_name="Người đo", share_percent=100
                        ),
                    ),
                    expected_benefit_vnd=1_000_000,
                    submitted_by=f"B{n}",
                    submitted_at=datetime.now(UTC),
                ),
                source="/thidua/bench",
                subject=str(n),
            )
        )
        for n in range(count)
    ]


async def produce(bootstrap: str, topic: str, batch: list[KafkaRecord]) -> dict[str, float]:
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap, enable_idempotence=True, acks="all", linger_ms=5
    )
    await producer.start()
    sent_at: dict[str, float] = {}
    try:
        deliveries = []
        for record in batch:
            sent_at[dict(record.headers)["ce_id"].decode()] = time.time()
            deliveries.append(
                await producer.send(
                    topic, value=record.value, key=record.key, headers=list(record.headers)
                )
            )
        await asyncio.gather(*deliveries)
    finally:
        await producer.stop()
    return sent_at


async def raw_baseline(bootstrap: str, batch: list[KafkaRecord]) -> dict[str, float]:
    # As many partitions as the initiatives topic the projection reads (the broker creates
    # no topic on first use).
    partitions = next(t.partitions for t in declared_topics() if t.name == topics.INITIATIVES)
    topic = await create_topic(bootstrap, f"bench.raw-{uuid4().hex[:8]}", partitions)
    started = time.perf_counter()
    await produce(bootstrap, topic, batch)
    produce_seconds = time.perf_counter() - started

    return {
        "produce_per_second": len(batch) / produce_seconds,
        "consume_per_second": await raw_consume(bootstrap, [topic], len(batch), commit=True),
    }


async def projected_times(database_url: str, expected: int, deadline: float) -> dict[str, float]:
    engine = create_engine(database_url)
    sessions = session_factory(engine)
    table = messaging.processed_events
    try:
        while True:
            async with sessions() as session:
                rows = (await session.execute(select(table.c.event_id, table.c.processed_at))).all()
            if len(rows) >= expected or time.monotonic() > deadline:
                return {str(row.event_id): row.processed_at.timestamp() for row in rows}
            await asyncio.sleep(0.25)
    finally:
        await engine.dispose()


async def flow(
    bootstrap: str, admin_url: str, batch: list[KafkaRecord], log_dir: Path
) -> dict[str, float]:
    databases = DatabaseFactory(admin_url)
    reporting = ServiceProcess("reporting", await databases.create("bench"), bootstrap, log_dir)
    try:
        await asyncio.to_thread(reporting.migrate)
        await asyncio.to_thread(reporting.start)
        await asyncio.sleep(3)  # let the consumer join its group before the clock starts
        started = time.time()
        sent_at = await produce(bootstrap, topics.INITIATIVES, batch)
        projected = await projected_times(
            reporting.database_url, len(batch), time.monotonic() + 600
        )
    finally:
        await asyncio.to_thread(reporting.stop)
        await databases.drop_all()
    latencies = sorted(projected[i] - sent_at[i] for i in sent_at if i in projected)
    if len(latencies) < len(batch):
        raise RuntimeError(f"only {len(latencies)} of {len(batch)} events projected")
    return {
        "events_per_second": len(batch) / (max(projected.values()) - started),
        "latency_p50_ms": 1000 * statistics.median(latencies),
        "latency_p99_ms": 1000 * latencies[int(0.99 * (len(latencies) - 1))],
    }


async def main(events: int) -> dict[str, Any]:
    batch = records(events)
    with (
        kafka_bootstrap() as bootstrap,
        postgres_admin_url() as admin_url,
        tempfile.TemporaryDirectory() as logs,
    ):
        raw = await raw_baseline(bootstrap, batch)
        projected = await flow(bootstrap, admin_url, records(events), Path(logs))
    return {
        "events": events,
        "raw_aiokafka": raw,
        "reporting_projection": projected,
        "ratio_flow_to_raw_consume": projected["events_per_second"] / raw["consume_per_second"],
    }


def report(result: dict[str, Any]) -> None:
    raw, flow_ = result["raw_aiokafka"], result["reporting_projection"]
    print(f"events: {result['events']}")
    print(f"  raw aiokafka produce        {raw['produce_per_second']:>10.0f} events/s")
    print(f"  raw aiokafka consume        {raw['consume_per_second']:>10.0f} events/s  (baseline)")
    print(f"  publish -> reporting API    {flow_['events_per_second']:>10.0f} events/s")
    p50, p99 = flow_["latency_p50_ms"], flow_["latency_p99_ms"]
    print(f"    latency p50 / p99         {p50:>7.0f} / {p99:.0f} ms")
    print(f"  ratio flow / raw consume    {result['ratio_flow_to_raw_consume']:>10.3f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=2000)
    result = asyncio.run(main(parser.parse_args().events))
    report(result)
    save("initiative_flow", result)
