"""How much of raw consumption each layer of the services' consumer leaves, with handlers that
do nothing: where the 0.25x-of-raw target of issue 15 stands before any handler runs.

    python -m bench.consumer_floor [--initiatives 15000] [--units 1000] [--partitions 3]
                                   [--rounds 2]

A national year (`bench.national_year_data`) is produced, keyed as the services' outboxes key
it, to one new topic of this run's own (the shared broker's real topics are the tests'), then
read from the start, in a new group each time, by each layer in turn, all in this process:

  raw          aiokafka's getmany and a commit after each poll (bench.raw_kafka): the baseline
  faststream   the services' own subscriber (KafkaConnection.subscribe: a batch subscriber of
               up to 500 records, its parser, its Prometheus middleware) handing each poll to
               a consumer that only counts it
  + decode     the same, and each record decoded as EventConsumer does (header_map, from_record:
               the envelope validated against its contract)
  + apply      the services' EventConsumer with a handler that does nothing for every event:
               decoding, the processed-event ids in one transaction a slice on PostgreSQL, the
               metrics; what any service pays before its handlers do anything

For each: records per second, the ratio to raw of the same round, and this process's CPU per
record (Kafka and PostgreSQL run in processes of their own). The rounds alternate the layers,
so a machine's swings fall on every layer alike. Writes bench/results/consumer_floor-<time>.json.
"""

import argparse
import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, cast
from uuid import uuid4

import uvloop
from aiokafka import AIOKafkaProducer
from aiokafka.partitioner import murmur2
from prometheus_client import CollectorRegistry

from bench.consumer_batches import consumer_on
from bench.national_year_data import year_records
from bench.raw_kafka import raw_consume
from bench.results import save
from services.scoring.bootstrap import define as define_scoring
from shared.contracts import EVENT_TYPES
from shared.contracts.topics import TopicSpec
from shared.db import create_engine
from shared.kafka_connection import KafkaConnection
from shared.messaging.cloudevents import Envelope, from_record, header_map
from shared.messaging.consumer import EventConsumer, batched
from shared.messaging.dead_letters import IncomingRecord
from shared.messaging.provisioning import provision_topics
from tests.support.databases import DatabaseFactory
from tests.support.infrastructure import kafka_bootstrap, postgres_admin_url

LAYERS = ("raw", "faststream", "+ decode", "+ apply")


@dataclass
class _Counting:
    """What KafkaConnection.subscribe needs of a consumer (its topics and consume_batch),
    counting the records it is handed and, optionally, doing something with each poll."""

    topics: list[str]
    expected: int
    then: Callable[[Sequence[IncomingRecord]], Awaitable[None]] | None = None
    seen: int = 0

    def __post_init__(self) -> None:
        self.done = asyncio.Event()

    async def consume_batch(self, records: Sequence[IncomingRecord]) -> None:
        if self.then is not None:
            await self.then(records)
        self.seen += len(records)
        if self.seen >= self.expected:
            self.done.set()


async def produce(bootstrap: str, topic: str, partitions: int, records: list[Any]) -> None:
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap, acks="all", linger_ms=20, max_batch_size=512 * 1024
    )
    await producer.start()
    try:
        sent = []
        for _, key, value, headers in records:
            partition = (murmur2(key) & 0x7FFFFFFF) % partitions
            sent.append(
                await producer.send(
                    topic, value=value, key=key, headers=headers, partition=partition
                )
            )
        await asyncio.gather(*sent)
    finally:
        await producer.stop()


async def through_faststream(bootstrap: str, consumer: _Counting) -> tuple[float, float]:
    """Seconds and this process's CPU seconds from the moment the subscriber is started (as
    raw_consume's clock starts once its consumer is) until every record was handed over:
    the outbox producer a KafkaConnection also starts is not counted."""
    connection = KafkaConnection(f"bench-floor-{uuid4().hex[:6]}", bootstrap, CollectorRegistry())
    connection.subscribe(
        cast(EventConsumer, consumer),
        auto_offset_reset="earliest",
        group_id=f"bench-floor-{uuid4().hex[:6]}",
    )

    async def nothing() -> None:
        pass

    await connection.connect(nothing)
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        await asyncio.wait_for(consumer.done.wait(), timeout=600)
        return time.perf_counter() - wall, time.process_time() - cpu
    finally:
        await connection.close()


async def _nothing(events: Sequence[Envelope[Any]], session: Any) -> None:
    pass


async def layer(name: str, bootstrap: str, topic: str, count: int, url: str) -> tuple[float, float]:
    """Records per second of one layer reading the whole topic, and its CPU seconds."""
    if name == "raw":
        cpu = time.process_time()  # its consumer's start included: raw's figure, if any, errs high
        rate = await raw_consume(bootstrap, [topic], count, commit=True)
        return rate, time.process_time() - cpu
    service = define_scoring()  # its processed-events table: every service's is alike
    # Batch handlers, as the services' are: a run of events is handed over at once.
    subscriptions = [batched(contract, _nothing) for contract in EVENT_TYPES.values()]
    then: Callable[[Sequence[IncomingRecord]], Awaitable[None]] | None = None
    engine = None
    if name == "+ decode":
        known = dict(EVENT_TYPES)

        async def decode(records: Sequence[IncomingRecord]) -> None:
            for record in records:
                from_record(header_map(record.headers), record.value, known)

        then = decode
    elif name == "+ apply":
        engine = create_engine(url)
        applying = await consumer_on(engine, service, subscriptions, hook=False)
        then = applying.consume_batch
    consumer = _Counting([topic], count, then)
    try:
        seconds, cpu_seconds = await through_faststream(bootstrap, consumer)
    finally:
        if engine is not None:
            await engine.dispose()
    return count / seconds, cpu_seconds


async def main(arguments: argparse.Namespace) -> dict[str, Any]:
    records = list(year_records(arguments.initiatives, arguments.units))
    count = len(records)
    topic = f"bench.floor.{uuid4().hex[:8]}"
    rounds: list[dict[str, dict[str, float]]] = []
    with kafka_bootstrap() as bootstrap, postgres_admin_url() as admin:
        await provision_topics(
            bootstrap,
            [TopicSpec(topic, arguments.partitions, "aggregate id", "bench", "consumer floor")],
        )
        print(f"producing {count} records to {topic} ({arguments.partitions} partitions)")
        await produce(bootstrap, topic, arguments.partitions, records)
        databases = DatabaseFactory(admin)
        try:
            for number in range(arguments.rounds):
                order = LAYERS if number % 2 == 0 else (LAYERS[0], *reversed(LAYERS[1:]))
                measured: dict[str, dict[str, float]] = {}
                for name in order:
                    url = await databases.create("floor")
                    rate, cpu_seconds = await layer(name, bootstrap, topic, count, url)
                    cpu_ms = cpu_seconds / count * 1000
                    measured[name] = {"per_s": round(rate), "cpu_ms": round(cpu_ms, 4)}
                raw = measured["raw"]["per_s"]
                for values in measured.values():
                    values["ratio"] = round(values["per_s"] / raw, 3)
                rounds.append(measured)
                _print(number + 1, measured)
        finally:
            await databases.drop_all()
    return {"records": count, "partitions": arguments.partitions, "rounds": rounds}


def _print(number: int, measured: dict[str, dict[str, float]]) -> None:
    print(f"round {number}: {'layer':<12}{'records/s':>11}{'ratio':>8}{'CPU ms/record':>15}")
    for name in LAYERS:
        m = measured[name]
        print(f"{'':9}{name:<12}{m['per_s']:>11,.0f}{m['ratio']:>8.3f}{m['cpu_ms']:>15.4f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--initiatives", type=int, default=15000)
    parser.add_argument("--units", type=int, default=1000)
    parser.add_argument("--partitions", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=2)
    # The event loop the services run on (uvicorn picks uvloop when it is installed).
    result = uvloop.run(main(parser.parse_args()))
    save("consumer_floor", result)
