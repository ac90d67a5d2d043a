"""Topics provisioned by the project on the real broker: created with their partitions and
config, idempotently, never shrunk, a short one warned about; and a broker that creates no
topic on first use."""

import asyncio
import logging
from collections.abc import AsyncIterator
from uuid import uuid4

import pytest
from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
from aiokafka.errors import UnknownTopicOrPartitionError

from shared.contracts.topics import DAY_MS, TopicSpec, declared_topics
from shared.messaging.provisioning import provision_topics
from tests.support.infrastructure import create_topic


def spec(name: str, partitions: int, retention_ms: int = -1) -> TopicSpec:
    return TopicSpec(name, partitions, "a test's", "a test", "A test topic.", retention_ms)


def fresh(label: str) -> str:
    return f"thidua.test-provision-{label}-{uuid4().hex[:8]}.v1"


@pytest.fixture
async def admin(kafka: str) -> AsyncIterator[AIOKafkaAdminClient]:
    client = AIOKafkaAdminClient(bootstrap_servers=kafka)
    await client.start()
    yield client
    await client.close()


async def partitions(admin: AIOKafkaAdminClient, name: str) -> int:
    described = {t["topic"]: t for t in await admin.describe_topics()}
    return len(described[name]["partitions"]) if name in described else 0


async def configs(admin: AIOKafkaAdminClient, name: str) -> dict[str, str]:
    [response] = await admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, name)])
    [resource] = response.to_object()["resources"]
    return {entry["config_names"]: entry["config_value"] for entry in resource["config_entries"]}


async def test_missing_topics_are_created_with_their_partitions_and_config(
    kafka: str, admin: AIOKafkaAdminClient
) -> None:
    events, parked = fresh("events"), fresh("parked")
    done = await provision_topics(kafka, [spec(events, 6), spec(parked, 1, 30 * DAY_MS)])

    assert sorted(done.created) == sorted([events, parked])
    assert (await partitions(admin, events), await partitions(admin, parked)) == (6, 1)
    assert (await configs(admin, events))["retention.ms"] == "-1"  # kept for ever
    assert (await configs(admin, parked))["retention.ms"] == str(30 * DAY_MS)
    assert (await configs(admin, events))["cleanup.policy"] == "delete"


async def test_provisioning_again_changes_nothing(kafka: str, admin: AIOKafkaAdminClient) -> None:
    name = fresh("again")
    first = await provision_topics(kafka, [spec(name, 3)])
    second = await provision_topics(kafka, [spec(name, 3)])
    assert (first.created, second.created, second.existing) == ((name,), (), (name,))
    assert await partitions(admin, name) == 3


async def test_replicas_provisioning_at_once_all_succeed(
    kafka: str, admin: AIOKafkaAdminClient
) -> None:
    """Four services' `migrate` race on a fresh cluster: one creates each topic, the others
    find it there (or lose the race to create it), and none fails."""
    names = [fresh(f"race{n}") for n in range(3)]
    results = await asyncio.gather(
        *(provision_topics(kafka, [spec(n, 2) for n in names]) for _ in range(4))
    )
    assert sorted(n for r in results for n in r.created) == sorted(names)
    assert [await partitions(admin, n) for n in names] == [2, 2, 2]


async def test_a_topic_with_fewer_partitions_is_warned_about_and_never_resized(
    kafka: str, admin: AIOKafkaAdminClient, caplog: pytest.LogCaptureFixture
) -> None:
    short, wide = fresh("short"), fresh("wide")
    await create_topic(kafka, short, partitions=1)
    await create_topic(kafka, wide, partitions=4)

    with caplog.at_level(logging.WARNING, logger="shared.messaging.provisioning"):
        done = await provision_topics(kafka, [spec(short, 6), spec(wide, 2)])

    assert done.created == ()
    assert done.short == {short: (1, 6)}
    # Growing would move keys between partitions (one aggregate's events out of order);
    # shrinking is impossible: both stay as they are.
    assert (await partitions(admin, short), await partitions(admin, wide)) == (1, 4)
    [warning] = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert short in warning.getMessage() and "1 partition(s), 6 declared" in warning.getMessage()


async def test_an_existing_topic_configured_otherwise_is_warned_about_and_left_as_it_is(
    kafka: str, admin: AIOKafkaAdminClient, caplog: pytest.LogCaptureFixture
) -> None:
    """As a topic auto-created before provisioning is: the broker's retention, not ours."""
    name = fresh("drift")
    await admin.create_topics([NewTopic(name, 1, 1, topic_configs={"retention.ms": str(DAY_MS)})])
    await create_topic(kafka, name)  # waits for its leader

    caplog.clear()  # create_topic's own provisioning warned already
    with caplog.at_level(logging.WARNING, logger="shared.messaging.provisioning"):
        done = await provision_topics(kafka, [spec(name, 1)])

    assert dict(done.drifted[name]) == {"retention.ms": (str(DAY_MS), "-1")}
    assert (await configs(admin, name))["retention.ms"] == str(DAY_MS)  # not changed here
    [warning] = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert f"retention.ms {DAY_MS} (declared -1)" in warning.getMessage()
    # A topic as declared is not reported.
    assert (await provision_topics(kafka, [spec(fresh("fine"), 1)])).drifted == {}


async def test_every_declared_topic_exists_on_the_test_broker(
    kafka: str, admin: AIOKafkaAdminClient
) -> None:
    for declared in declared_topics():
        assert await partitions(admin, declared.name) == declared.partitions, declared.name


async def test_the_broker_creates_no_topic_on_first_use(
    kafka: str, admin: AIOKafkaAdminClient
) -> None:
    """A misspelt topic is an error for its producer, not a new topic with the broker's
    defaults (auto.create.topics.enable=false on every broker the project starts)."""
    name = fresh("typo")
    producer = AIOKafkaProducer(bootstrap_servers=kafka, request_timeout_ms=2000)
    await producer.start()
    try:
        with pytest.raises(UnknownTopicOrPartitionError):
            await producer.send_and_wait(name, b"{}")
    finally:
        await producer.stop()
    assert await partitions(admin, name) == 0
