"""Two replicas of each consumer (scoring, notifications, reporting) share their topics'
partitions on the real broker; one replica of each is SIGKILLed while a stream of initiatives
and council decisions is being applied, and nothing is lost or applied twice; the phase's close,
its facts spread over partitions and two replicas, proposes the awards one replica would.

On a broker of its own, left bare: the services' `migrate` provisions the topics (the first
assertion), and the stream and its rebalances stay off the broker the other modules share."""

import asyncio
import json
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import uuid4

import asyncpg
import httpx
import pytest
from aiokafka import TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.coordinator.protocol import ConsumerProtocolMemberAssignment

from services.submissions.demo import seed_units
from shared.contracts import topics
from tests.e2e.builders import (
    close_phase_1,
    get_json,
    new_campaign,
    recognise,
    register,
    submit,
)
from tests.e2e.conftest import add_grassroots_unit
from tests.support.databases import DatabaseFactory
from tests.support.infrastructure import kafka_bootstrap
from tests.support.kafka_probe import headers_of, read_to_end
from tests.support.polling import eventually, settled
from tests.support.services import ServiceProcess

CONSUMERS = ("scoring", "notifications", "reporting")
UNITS = 2
PER_UNIT_BEFORE, PER_UNIT_AFTER = 8, 8  # initiatives per unit before and after the kill
RECOGNISED_BEFORE, RECOGNISED_AFTER = 2, 2  # of them, recognised by a council
PREFIX = "vn.congdoandaukhi.thidua."


@pytest.fixture(scope="module")
def kafka() -> Iterator[str]:
    """A broker of its own, with no topic on it: the services create them."""
    with kafka_bootstrap(provisioned=False) as address:
        yield address


@dataclass
class Replicated:
    """The system: one submissions, two replicas (a, b) of each consumer on one database and
    one consumer group per service; and a scoring alone (its own database and group) reading
    the same topics, for the awards one replica proposes."""

    submissions: ServiceProcess
    replicas: dict[str, tuple[ServiceProcess, ServiceProcess]]
    single_scoring: ServiceProcess

    def first(self, name: str) -> ServiceProcess:
        return self.submissions if name == "submissions" else self.replicas[name][0]

    @property
    def urls(self) -> dict[str, ServiceProcess]:
        return {name: self.first(name) for name in ("submissions", *CONSUMERS)}


@pytest.fixture(scope="module")
async def replicated(
    kafka: str, postgres: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Replicated]:
    databases = DatabaseFactory(postgres)
    log_dir = Path(tmp_path_factory.mktemp("replicas"))
    for folder in ("a", "b", "single"):
        (log_dir / folder).mkdir()
    submissions = ServiceProcess(
        "submissions", await databases.create("submissions"), kafka, log_dir
    )
    replicas: dict[str, tuple[ServiceProcess, ServiceProcess]] = {}
    for name in CONSUMERS:
        url = await databases.create(name)
        replicas[name] = (
            ServiceProcess(name, url, kafka, log_dir / "a"),
            ServiceProcess(name, url, kafka, log_dir / "b"),
        )
    single = ServiceProcess(
        "scoring",
        await databases.create("scoring_single"),
        kafka,
        log_dir / "single",
        extra_env={"KAFKA_GROUP_ID": "scoring-single"},
    )
    every = [submissions, single, *(r for pair in replicas.values() for r in pair)]
    try:
        await asyncio.gather(
            *(
                asyncio.to_thread(s.migrate)
                for s in [submissions, single, *(p[0] for p in replicas.values())]
            )
        )
        # All at once: on two cores, starting eight Python processes is most of the time.
        await asyncio.gather(*(asyncio.to_thread(s.start, 120.0) for s in every))
        yield Replicated(submissions, replicas, single)
    finally:
        for service in every:
            service.stop()
        await databases.drop_all()


async def group_assignments(kafka: str, group: str) -> list[list[TopicPartition]]:
    """The partitions each member of `group` holds, as the group coordinator says."""
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka)
    await admin.start()
    try:
        responses = await admin.describe_consumer_groups([group])
    finally:
        await admin.close()
    members = [
        member
        for response in responses
        for described in response.to_object()["groups"]
        if described["state"] == "Stable"
        for member in described["members"]
    ]
    return [
        ConsumerProtocolMemberAssignment.decode(m["member_assignment"]).partitions()
        if m["member_assignment"]
        else []
        for m in members
    ]


async def partition_counts(kafka: str) -> dict[str, int]:
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka)
    await admin.start()
    try:
        return {t["topic"]: len(t["partitions"]) for t in await admin.describe_topics()}
    finally:
        await admin.close()


def asyncpg_url(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://")


async def rows(url: str, query: str, *args: Any) -> list[asyncpg.Record]:
    connection = await asyncpg.connect(asyncpg_url(url))
    try:
        found: list[asyncpg.Record] = await connection.fetch(query, *args)
        return found
    finally:
        await connection.close()


async def new_unit(system: Replicated, campaign: str) -> str:
    unit = f"R-{uuid4().hex[:8].upper()}"
    await add_grassroots_unit(system.submissions.url, unit, "Công đoàn thử nhân bản", "PVCFC")
    await register(system.urls, campaign, unit, ["01-trieu-sang-kien"])
    return unit


async def a_round(
    system: Replicated, campaign: str, units: list[str], per_unit: int, recognised: int
) -> dict[str, tuple[str, str]]:
    """`per_unit` initiatives in each unit (one author each, submitted in turns), then the
    first `recognised` of each unit recognised: {initiative: (unit, member)}."""
    made: dict[str, tuple[str, str]] = {}
    for _ in range(per_unit):
        for unit in units:
            member = f"M-{uuid4().hex[:8]}"
            initiative = await submit(
                system.submissions.url,
                campaign,
                unit,
                member,
                title=f"Giảm tiêu hao khí nhiên liệu ({member})",
                expected_benefit_vnd=1_000_000_000,
            )
            made[initiative] = (unit, member)
    for unit in units:
        for initiative in [i for i, (u, _) in made.items() if u == unit][:recognised]:
            await recognise(system.first("scoring").url, initiative, unit, timeout=60)
    return made


async def kill_the_second_replicas(system: Replicated, after: float) -> None:
    await asyncio.sleep(after)
    for name in CONSUMERS:
        replica = system.replicas[name][1]
        assert replica.running()
        await asyncio.to_thread(replica.kill)


async def never_applied(service: ServiceProcess, event_ids: set[str]) -> set[str]:
    """Those of `event_ids` not in the service's processed_events."""
    applied = {
        str(r["event_id"])
        for r in await rows(service.database_url, "SELECT event_id FROM processed_events")
    }
    return event_ids - applied


def proposals_of(awards: list[dict[str, Any]]) -> Counter[tuple[str, str, str]]:
    """What a close proposed, without ids or times: (recipient, rule, status), counted."""
    return Counter(
        (a["grant"]["recipient_id"], a["grant"]["rule_code"], a["status"]) for a in awards
    )


async def test_two_replicas_share_the_work_and_a_killed_one_loses_and_doubles_nothing(
    kafka: str, replicated: Replicated
) -> None:
    system = replicated
    # The services' migrate provisioned the declared topics on a bare broker.
    counts = await partition_counts(kafka)
    assert (counts[topics.INITIATIVES], counts[topics.REVIEWS]) == (6, 6)

    # Both replicas of each service hold partitions: the work is shared, nobody idles.
    for name in CONSUMERS:
        shares = await eventually(
            lambda name=name: group_assignments(kafka, name),  # type: ignore[misc]
            lambda members: len(members) == 2 and all(members),
            timeout=60,
        )
        assert {tp.topic for member in shares for tp in member} >= {topics.INITIATIVES}

    with httpx.Client(base_url=system.submissions.url, timeout=60) as client:
        await asyncio.to_thread(seed_units, client)
    campaign, _ = await new_campaign(system.urls)
    units = [await new_unit(system, campaign) for _ in range(UNITS)]

    made = await a_round(system, campaign, units, PER_UNIT_BEFORE, RECOGNISED_BEFORE)
    # Mid-stream: the second round's first initiatives are being submitted and applied when
    # the second replica of each service dies without a word (no commit, no leave-group);
    # its partitions stay with it until its session times out, then go to the first.
    killing = asyncio.create_task(kill_the_second_replicas(system, after=0.5))
    made |= await a_round(system, campaign, units, PER_UNIT_AFTER, RECOGNISED_AFTER)
    await killing
    await close_phase_1(system.urls, campaign)

    per_unit = PER_UNIT_BEFORE + PER_UNIT_AFTER
    recognised = (RECOGNISED_BEFORE + RECOGNISED_AFTER) * UNITS
    scoring, notifications, reporting = (system.first(n) for n in CONSUMERS)

    # Reporting: every initiative once in the read model, every counter exact (an event
    # applied twice would count twice).
    tallies = await eventually(
        lambda: rows(
            reporting.database_url,
            "SELECT unit_code, sum(submitted) AS submitted, sum(recognised) AS recognised "
            "FROM unit_tallies WHERE campaign_code = $1 GROUP BY unit_code",
            campaign,
        ),
        lambda found: (
            {r["unit_code"]: r["submitted"] for r in found if r["unit_code"] in units}
            == dict.fromkeys(units, per_unit)
            and sum(r["recognised"] for r in found if r["unit_code"] in units) == recognised
        ),
        timeout=90,
    )
    assert len(tallies) >= UNITS
    [[known]] = await rows(
        reporting.database_url,
        "SELECT count(*) FROM initiatives WHERE campaign_code = $1",
        campaign,
    )
    assert known == len(made)

    # Notifications: each author told of their initiative once, each recognition once.
    told = await eventually(
        lambda: rows(
            notifications.database_url,
            "SELECT recipient_id, trigger, count(*) AS n FROM inbox_messages "
            "WHERE trigger IN ('initiative_received', 'initiative_recognised') "
            "GROUP BY recipient_id, trigger",
        ),
        lambda found: (
            Counter(r["trigger"] for r in found if r["recipient_id"].startswith("M-"))
            == Counter({"initiative_received": len(made), "initiative_recognised": recognised})
        ),
        timeout=90,
    )
    assert all(r["n"] == 1 for r in told), [dict(r) for r in told if r["n"] != 1]

    # Every event on the stream's topics applied once by each service that subscribes to it:
    # its id in processed_events (one row per id: the table's key); none missing.
    stream = [
        *await read_to_end(kafka, topics.INITIATIVES),
        *await read_to_end(kafka, topics.REVIEWS),
    ]
    ids_by_type: dict[str, set[str]] = {}
    for record in stream:
        headers = headers_of(record)
        ids_by_type.setdefault(headers["ce_type"].removeprefix(PREFIX), set()).add(headers["ce_id"])
        # Keyed by the initiative, on both topics: one initiative's events on one partition
        # in order.
        assert record.key.decode() == json.loads(record.value)["initiative_id"], headers
    assert len(ids_by_type["initiative.submitted.v1"]) == len(made)
    expected = ids_by_type["initiative.submitted.v1"] | ids_by_type["initiative.recognised.v1"]
    for service in (scoring, notifications, reporting):
        # Scoring reads its own recognitions back from the topic: wait for those too.
        missing = await eventually(
            lambda service=service: never_applied(service, expected),  # type: ignore[misc]
            lambda ids: not ids,
            timeout=60,
        )
        assert not missing

    # The close, its facts read by two replicas (one killed), proposes what one replica
    # reading the same topics proposes.
    awards_url = f"{scoring.url}/api/v1/awards"
    await eventually(
        lambda: get_json(awards_url, campaign_code=campaign, phase_code="dot-1"),
        lambda awards: len(awards) >= recognised,
        timeout=60,
    )
    replicated_awards = await settled(
        lambda: get_json(awards_url, campaign_code=campaign, phase_code="dot-1")
    )
    proposed = proposals_of(replicated_awards)
    assert sum(proposed.values()) >= recognised  # one per recognised author at least
    alone = await eventually(
        lambda: get_json(
            f"{system.single_scoring.url}/api/v1/awards", campaign_code=campaign, phase_code="dot-1"
        ),
        lambda awards: proposals_of(awards) == proposed,
        timeout=60,
        interval=1.0,
    )
    assert proposals_of(alone) == proposed
