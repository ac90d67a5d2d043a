"""An API replica (`<SERVICE>_ROLE=api`) answers from the database the consuming replica
writes, and consumes nothing itself: it never joins the consumer group, so it never holds a
partition and never applies an event, however many of them arrive.

Reporting, two processes on one database and one group: one of role "all" (the default), one
of role "api". Initiatives are published straight to the topic; the API replica shows them
counted, the group has one member, and only the consuming process counted them as applied."""

import asyncio
import contextlib
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from uuid import uuid4

import httpx
import pytest
from aiokafka import AIOKafkaProducer

from shared.contracts import InitiativeSubmitted
from shared.messaging.cloudevents import new_envelope, to_record
from shared.messaging.lag import GroupOffsets
from tests.support.databases import DatabaseFactory
from tests.support.polling import eventually
from tests.support.services import ServiceProcess
from tests.unit.event_examples import submitted

INITIATIVES = 12


@dataclass
class Pair:
    consuming: ServiceProcess
    api: ServiceProcess
    group: str


@pytest.fixture(scope="module")
async def pair(
    kafka: str, postgres: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Pair]:
    databases = DatabaseFactory(postgres)
    url = await databases.create("api_replica")
    log_dir = Path(tmp_path_factory.mktemp("api-replica"))
    group = f"reporting-api-replica-{uuid4().hex[:8]}"
    # From the topics' end: the shared broker holds other modules' events, none of them ours.
    common = {"KAFKA_GROUP_ID": group, "KAFKA_AUTO_OFFSET_RESET": "latest"}
    consuming = ServiceProcess("reporting", url, kafka, log_dir / "all", extra_env=common)
    api = ServiceProcess(
        "reporting", url, kafka, log_dir / "api", extra_env={**common, "ROLE": "api"}
    )
    for process in (consuming, api):
        process.log_dir.mkdir(parents=True, exist_ok=True)
    await asyncio.to_thread(consuming.migrate)
    try:
        await asyncio.gather(*(asyncio.to_thread(p.start, 120.0) for p in (consuming, api)))
        yield Pair(consuming, api, group)
    finally:
        for process in (consuming, api):
            await asyncio.to_thread(process.stop)
        await databases.drop_all()


async def _members(kafka: str, group: str) -> list[str]:
    offsets = GroupOffsets(kafka, f"api-replica-probe-{uuid4().hex[:6]}")
    await offsets.start()
    try:
        return await offsets.active_members(group)
    finally:
        await offsets.close()


def _applied(metrics: str) -> float:
    """The events the process counted as applied (every topic and type)."""
    return sum(
        float(value)
        for value in re.findall(r"^reporting_events_processed_total\{[^}]*\} (\S+)$", metrics, re.M)
    )


async def test_an_api_replica_serves_what_the_consuming_one_applied_and_consumes_nothing(
    kafka: str, pair: Pair
) -> None:
    # The consuming replica joined the group (it starts at the topics' end).
    members = await eventually(lambda: _members(kafka, pair.group), lambda m: len(m) == 1)
    campaign = f"T{uuid4().hex[:6]}"
    records = [
        to_record(
            new_envelope(
                submitted(
                    campaign_code=campaign,
                    initiative_id=uuid4(),
                    title=f"Sáng kiến {n}",
                    expected_benefit_vnd=1_000_000,
                ),
                source="/test",
                subject=campaign,
            )
        )
        for n in range(INITIATIVES)
    ]
    async with httpx.AsyncClient(base_url=pair.api.url, timeout=10) as api:

        async def counted() -> int:
            answer = await api.get("/api/v1/initiative-counts", params={"campaign_code": campaign})
            answer.raise_for_status()
            rows = answer.json()
            return int(rows[0]["submitted"]) if rows else 0

        producer = AIOKafkaProducer(bootstrap_servers=kafka, acks="all")
        await producer.start()
        try:
            # Joining is not yet reading: records sent before the member looked up the end of
            # its partitions are behind where it starts. So the same events (the same ids: each
            # is applied once) go again until all are counted.
            for _ in range(30):
                for record in records:
                    await producer.send_and_wait(
                        record.topic, record.value, key=record.key, headers=list(record.headers)
                    )
                with contextlib.suppress(AssertionError):
                    await eventually(counted, lambda n: n == INITIATIVES, timeout=3)
                    break
        finally:
            await producer.stop()
        assert await counted() == INITIATIVES
        answer = await api.get("/api/v1/initiative-counts", params={"campaign_code": campaign})
        assert answer.json()[0]["expected_benefit_vnd"] == INITIATIVES * 1_000_000
        api_metrics = (await api.get("/metrics")).text
    async with httpx.AsyncClient(base_url=pair.consuming.url, timeout=10) as consuming:
        consuming_metrics = (await consuming.get("/metrics")).text

    assert await _members(kafka, pair.group) == members  # the API replica never joined
    assert _applied(consuming_metrics) >= INITIATIVES
    assert _applied(api_metrics) == 0
    assert InitiativeSubmitted.event_type in consuming_metrics
    # Nor does it watch the group's lag: only a consuming replica reports it.
    assert "reporting_consumer_lag_messages" in consuming_metrics
    assert "reporting_consumer_lag_messages" not in api_metrics
