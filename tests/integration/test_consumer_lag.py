"""Consumer lag on the real broker: records behind a group's committed offsets, and the age of
the oldest of them, per topic; and the gauges a running service exports."""

import asyncio
import logging
import re
import time
from collections.abc import AsyncIterator
from pathlib import Path
from uuid import uuid4

import httpx
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaConnectionError
from prometheus_client import CollectorRegistry

from shared.contracts import topics
from shared.messaging.lag import GroupOffsets, LagMonitor
from shared.metrics import LagMetrics
from tests.support.databases import DatabaseFactory
from tests.support.infrastructure import free_port
from tests.support.polling import eventually
from tests.support.services import ServiceProcess

NOW = time.time()
# Record timestamps, in seconds before now, per partition: partition 0's records are older.
AGES = {0: [3600, 3000, 2400, 1800], 1: [1200, 600]}


async def commit(kafka: str, group: str, offsets: dict[TopicPartition, int]) -> None:
    """Commit offsets for `group`, as its consumer would after applying the records before."""
    consumer = AIOKafkaConsumer(bootstrap_servers=kafka, group_id=group, enable_auto_commit=False)
    await consumer.start()
    try:
        consumer.assign(list(offsets))
        await consumer.commit(offsets)
    finally:
        await consumer.stop()


@pytest.fixture
async def topic(kafka: str) -> str:
    """A fresh two-partition topic holding AGES' records, with those timestamps."""
    name = f"thidua.test-lag-{uuid4().hex[:8]}.v1"
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(name, num_partitions=2, replication_factor=1)])
    finally:
        await admin.close()
    producer = AIOKafkaProducer(bootstrap_servers=kafka, acks="all")
    await producer.start()
    try:
        for partition, ages in AGES.items():
            for age in ages:
                await producer.send_and_wait(
                    name, b"{}", partition=partition, timestamp_ms=int((NOW - age) * 1000)
                )
    finally:
        await producer.stop()
    return name


@pytest.fixture
async def offsets(kafka: str) -> AsyncIterator[GroupOffsets]:
    group_offsets = GroupOffsets(kafka, "test-lag")
    await group_offsets.start()
    yield group_offsets
    await group_offsets.close()


def partition(topic: str, number: int) -> TopicPartition:
    return TopicPartition(topic, number)


@pytest.mark.parametrize(
    ("committed", "messages", "seconds"),
    [
        pytest.param({}, 6, 3600, id="nothing committed: every record, since the oldest"),
        # Behind by the rest, since partition 0's last record.
        pytest.param({0: 3, 1: 1}, 1 + 1, 1800, id="part way through both partitions"),
        # Partition 1 never committed: behind from its beginning.
        pytest.param({0: 4}, 2, 1200, id="partition 0 in full, partition 1 never"),
    ],
)
async def test_a_group_is_behind_by_the_records_after_its_commits_since_the_oldest_of_them(
    kafka: str,
    offsets: GroupOffsets,
    topic: str,
    committed: dict[int, int],
    messages: int,
    seconds: float,
) -> None:
    group = f"g-{uuid4().hex[:8]}"
    if committed:
        await commit(kafka, group, {partition(topic, n): at for n, at in committed.items()})
    lag = (await offsets.lag(group, [topic], now=NOW))[topic]
    assert lag.messages == messages
    assert lag.seconds == pytest.approx(seconds, abs=0.01)


async def test_a_group_caught_up_is_not_behind(
    kafka: str, offsets: GroupOffsets, topic: str
) -> None:
    group = f"g-{uuid4().hex[:8]}"
    await commit(kafka, group, {partition(topic, 0): 4, partition(topic, 1): 2})
    missing = f"thidua.test-lag-missing-{uuid4().hex[:8]}.v1"
    lags = await offsets.lag(group, [topic, missing])
    assert (lags[topic].messages, lags[topic].seconds) == (0, 0.0)
    # A topic nobody has written yet is not behind either, and measuring it does not
    # create it.
    assert (lags[missing].messages, lags[missing].seconds) == (0, 0.0)
    assert await offsets.partitions([missing]) == []


async def test_the_monitor_carries_on_while_kafka_is_unreachable(
    caplog: pytest.LogCaptureFixture,
) -> None:
    registry = CollectorRegistry()
    monitor = LagMonitor(
        bootstrap_servers=f"127.0.0.1:{free_port()}",  # nothing listens there
        group_id="nobody",
        topics=["thidua.units.v1"],
        metrics=LagMetrics.create("t", registry),
        interval=0.2,
        client_id="test-lag-unreachable",
    )
    with caplog.at_level(logging.WARNING, logger="shared.messaging.lag"):
        task = asyncio.create_task(monitor.run())
        await asyncio.sleep(1.5)
        assert not task.done()
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    failures = [r for r in caplog.records if r.message.startswith("consumer lag not measured")]
    assert len(failures) >= 2
    assert registry.get_sample_value("t_consumer_lag_seconds", {"topic": "thidua.units.v1"}) is None
    # Never measured: no time of measurement either (no series, rather than a 0 from 1970).
    measured = "t_consumer_lag_measured_timestamp_seconds"
    assert registry.get_sample_value(measured, {"topic": "thidua.units.v1"}) is None


async def test_the_monitor_stamps_each_measurement_and_not_a_failed_one(
    kafka: str, topic: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The lag gauges keep their last values while measuring fails; the measured-at gauge is
    what tells they are stale (ThiDuaConsumerLagStale)."""
    registry = CollectorRegistry()
    monitor = LagMonitor(
        bootstrap_servers=kafka,
        group_id=f"g-{uuid4().hex[:8]}",
        topics=[topic],
        metrics=LagMetrics.create("t", registry),
        interval=0.2,
        client_id="test-lag-measured",
    )
    labels = {"topic": topic}

    async def measured_at() -> float | None:
        return registry.get_sample_value("t_consumer_lag_measured_timestamp_seconds", labels)

    before = time.time()
    task = asyncio.create_task(monitor.run())
    try:
        first = await eventually(measured_at, lambda value: value is not None)
        assert first is not None and before <= first <= time.time()
        assert registry.get_sample_value("t_consumer_lag_messages", labels) == 6
        # Measured again and again: the time moves on.
        later = await eventually(measured_at, lambda value: value is not None and value > first)

        # Measuring now fails (as when the broker is unreachable).
        async def fail(*args: object, **kwargs: object) -> object:
            raise KafkaConnectionError("broker unreachable (test)")

        monkeypatch.setattr(GroupOffsets, "lag", fail)
        await asyncio.sleep(0.5)  # a measurement in flight when patched may still land
        stale = await measured_at()
        assert stale is not None and later is not None and stale >= later
        await asyncio.sleep(1.0)  # five intervals
        assert await measured_at() == stale
        assert registry.get_sample_value("t_consumer_lag_messages", labels) == 6

        monkeypatch.undo()
        await eventually(measured_at, lambda value: value is not None and value > stale)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def test_a_running_service_exports_its_lag_per_topic(
    kafka: str, databases: DatabaseFactory, tmp_path: Path
) -> None:
    service = ServiceProcess(
        "reporting",
        await databases.create("lag"),
        kafka,
        tmp_path,
        extra_env={
            "KAFKA_GROUP_ID": f"reporting-lag-{uuid4().hex[:8]}",
            "LAG_POLL_INTERVAL_SECONDS": "0.5",
        },
    )
    await asyncio.to_thread(service.migrate)
    await asyncio.to_thread(service.start)
    try:

        async def scrape() -> str:
            async with httpx.AsyncClient(timeout=5) as client:
                return (await client.get(f"{service.url}/metrics")).text

        label = f'{{topic="{topics.INITIATIVES}"}}'
        text = await eventually(
            scrape, lambda text: f"reporting_consumer_lag_seconds{label}" in text
        )
        assert f"reporting_consumer_lag_messages{label}" in text
        # When the gauges were measured: a moment ago.
        stamp = re.search(
            rf"^reporting_consumer_lag_measured_timestamp_seconds{re.escape(label)} (\S+)$",
            text,
            re.M,
        )
        assert stamp is not None, text
        assert time.time() - 60 < float(stamp.group(1)) <= time.time()
        # The service reads its topics from the start: once through them, it is not behind.
        await eventually(scrape, lambda text: f"reporting_consumer_lag_messages{label} 0.0" in text)
    finally:
        service.stop()
