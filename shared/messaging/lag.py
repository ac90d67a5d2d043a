"""How far a consumer group is behind on its topics, and a monitor exporting it as gauges.

Lag is measured from outside the group, as an operator's tool would: the committed offsets
come from the group coordinator (admin client), the end offsets and the timestamps of the
oldest unapplied records from a consumer that belongs to no group, so measuring never
joins, rebalances or commits for the group it measures. Both clients stay open between
measurements; aiokafka reconnects them when the broker comes back.
"""

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import KafkaError

from shared.messaging.stopping import stop_quietly
from shared.metrics import LagMetrics

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True)
class TopicLag:
    topic: str
    # Records on the topic after the group's committed offsets (summed over partitions).
    messages: int
    # Now minus the timestamp of the oldest of those records; 0 when caught up.
    seconds: float


class GroupOffsets:
    """A consumer group's position on its topics, read through an admin client and a
    group-less consumer; `start` once, `close` at the end."""

    def __init__(
        self, bootstrap_servers: str, client_id: str, *, read_timeout: float = 5.0
    ) -> None:
        self._bootstrap = bootstrap_servers
        self._client_id = client_id
        self._read_timeout = read_timeout
        self._admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers, client_id=client_id)
        self._consumer = AIOKafkaConsumer(
            bootstrap_servers=bootstrap_servers,
            client_id=client_id,
            group_id=None,
            enable_auto_commit=False,
            # A committed offset older than the retention falls back to the oldest record.
            auto_offset_reset="earliest",
            # Only the first record of each partition is wanted, not a prefetched backlog.
            max_partition_fetch_bytes=64 * 1024,
        )

    async def start(self) -> None:
        """Connect both clients; raises (with nothing left open) if Kafka does not answer."""
        try:
            await self._admin.start()
            await self._consumer.start()
        except BaseException:
            await self.close()
            raise

    async def close(self) -> None:
        await stop_quietly(
            log, "ignored error while closing a lag client", self._consumer.stop, self._admin.close
        )

    async def partitions(self, topics: Sequence[str]) -> list[TopicPartition]:
        """The partitions of those of `topics` that exist.

        The services provision their topics (shared.messaging.provisioning) before they
        consume, so a missing one is one not provisioned yet (a service measured before its
        first start, a broker just reset): it has no partitions and no lag, and measuring
        must not create it. Hence all topics' metadata, never ours by name: on a broker with
        auto.create.topics.enable (not ours, which turn it off) naming a missing topic in a
        metadata request creates it, with that broker's partitions and retention."""
        wanted = set(topics)
        return sorted(
            TopicPartition(described["topic"], partition["partition"])
            for described in await self._admin.describe_topics()
            if described["topic"] in wanted and not described["error_code"]
            for partition in described["partitions"]
        )

    async def committed(self, group_id: str) -> dict[TopicPartition, int]:
        """The group's committed offsets; a partition it never committed is absent."""
        offsets = await _retrying(lambda: self._admin.list_consumer_group_offsets(group_id))
        return {tp: meta.offset for tp, meta in offsets.items() if meta.offset >= 0}

    async def end_offsets(self, partitions: Sequence[TopicPartition]) -> dict[TopicPartition, int]:
        if not partitions:
            return {}
        ends: dict[TopicPartition, int] = await self._consumer.end_offsets(list(partitions))
        return ends

    async def beginning_offsets(
        self, partitions: Sequence[TopicPartition]
    ) -> dict[TopicPartition, int]:
        if not partitions:
            return {}
        starts: dict[TopicPartition, int] = await self._consumer.beginning_offsets(list(partitions))
        return starts

    async def active_members(self, group_id: str) -> list[str]:
        """The group's current members, as "client_id@host"; empty when nobody consumes."""
        responses = await _retrying(lambda: self._admin.describe_consumer_groups([group_id]))
        return [
            f"{member['client_id']}@{member['client_host'].lstrip('/')}"
            for response in responses
            for group in response.to_object()["groups"]
            for member in group["members"]
        ]

    async def reset_to_beginning(
        self, group_id: str, topics: Sequence[str]
    ) -> dict[TopicPartition, int]:
        """Commit, for the group, the beginning offset of every partition of `topics`; return
        the end offsets at that moment (what a replay must reach).

        The commit carries no group generation, which the coordinator accepts only while the
        group has no members: if the service started meanwhile, this fails (CommitFailedError)
        instead of moving a running consumer."""
        partitions = await self.partitions(topics)
        if not partitions:
            return {}
        starts = await self.beginning_offsets(partitions)
        ends = await self.end_offsets(partitions)
        committer = AIOKafkaConsumer(
            bootstrap_servers=self._bootstrap,
            client_id=f"{self._client_id}-reset",
            group_id=group_id,
            enable_auto_commit=False,
        )
        await committer.start()
        try:
            committer.assign(partitions)
            await committer.commit(starts)
        finally:
            await committer.stop()
        return ends

    async def lag(
        self, group_id: str, topics: Sequence[str], *, now: float | None = None
    ) -> dict[str, TopicLag]:
        """Per topic of `topics` (0 and 0 for a topic that does not exist yet), how far the
        group is behind. `now` is a Unix time, by default the present."""
        partitions = await self.partitions(topics)
        committed = await self.committed(group_id)
        starts = await self.beginning_offsets(partitions)
        ends = await self.end_offsets(partitions)
        # A partition never committed (or committed before what retention kept) is behind
        # from its first record.
        positions = {tp: max(committed.get(tp, starts[tp]), starts[tp]) for tp in partitions}
        behind = {tp: offset for tp, offset in positions.items() if ends[tp] > offset}
        stamps = await self._first_timestamps(behind)
        now = time.time() if now is None else now
        lags: dict[str, TopicLag] = {}
        for topic in topics:
            mine = [tp for tp in behind if tp.topic == topic]
            oldest = min((stamps[tp] for tp in mine if tp in stamps), default=None)
            lags[topic] = TopicLag(
                topic=topic,
                messages=sum(ends[tp] - behind[tp] for tp in mine),
                seconds=0.0 if oldest is None else max(0.0, now - oldest / 1000),
            )
        return lags

    async def _first_timestamps(
        self, positions: Mapping[TopicPartition, int]
    ) -> dict[TopicPartition, int]:
        """The timestamp (ms) of the first record at or after each position."""
        if not positions:
            return {}
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._read_timeout
        stamps: dict[TopicPartition, int] = {}
        self._consumer.assign(list(positions))
        try:
            for tp, offset in positions.items():
                self._consumer.seek(tp, offset)
            while len(stamps) < len(positions) and (left := deadline - loop.time()) > 0:
                pending = [tp for tp in positions if tp not in stamps]
                batches = await self._consumer.getmany(*pending, timeout_ms=int(left * 1000))
                for tp, records in batches.items():
                    first = next((r for r in records if r.offset >= positions[tp]), None)
                    if first is not None and first.timestamp >= 0 and tp not in stamps:
                        stamps[tp] = first.timestamp
        finally:
            # No assignment between measurements: the consumer would keep fetching.
            self._consumer.assign([])
        if missing := [tp for tp in positions if tp not in stamps]:
            log.debug("no timestamp read in time for %s", missing)
        return stamps


async def _retrying(call: Callable[[], Awaitable[T]], attempts: int = 20) -> T:
    """`call`, again after a pause while it fails with a retriable Kafka error (the group
    coordinator not elected yet on a fresh cluster, say)."""
    for attempt in range(1, attempts + 1):
        try:
            return await call()
        except KafkaError as error:
            if not error.retriable or attempt == attempts:
                raise
            await asyncio.sleep(0.5)
    raise AssertionError("unreachable")


class LagMonitor:
    """Measures a group's lag every `interval` seconds into gauges, for as long as it runs.

    A failed measurement (Kafka unreachable) is logged and retried at the next interval;
    the gauges keep their last values meanwhile, and the measured-at gauge, set only by a
    measurement that succeeded, says how old they are."""

    def __init__(
        self,
        *,
        bootstrap_servers: str,
        group_id: str,
        topics: Sequence[str],
        metrics: LagMetrics,
        interval: float,
        client_id: str,
    ) -> None:
        self._bootstrap = bootstrap_servers
        self._group_id = group_id
        self._topics = list(topics)
        self._metrics = metrics
        self._interval = interval
        self._client_id = client_id

    async def run(self) -> None:
        offsets: GroupOffsets | None = None
        try:
            while True:
                try:
                    # Never hang a whole interval (or longer) on one measurement.
                    async with asyncio.timeout(max(self._interval, 30.0)):
                        if offsets is None:
                            offsets = await self._connect()
                        measured_at = time.time()
                        lags = await offsets.lag(self._group_id, self._topics, now=measured_at)
                    self._publish(lags, measured_at)
                except Exception as error:
                    log.warning(
                        "consumer lag not measured: %s; retrying in %.0fs",
                        str(error) or type(error).__name__,
                        self._interval,
                        extra={"group_id": self._group_id},
                    )
                await asyncio.sleep(self._interval)
        finally:
            if offsets is not None:
                await offsets.close()

    async def _connect(self) -> GroupOffsets:
        offsets = GroupOffsets(self._bootstrap, self._client_id)
        await offsets.start()  # closes what it opened if it fails
        return offsets

    def _publish(self, lags: Mapping[str, TopicLag], measured_at: float) -> None:
        for topic, lag in lags.items():
            self._metrics.messages.labels(topic=topic).set(lag.messages)
            self._metrics.seconds.labels(topic=topic).set(lag.seconds)
            self._metrics.measured.labels(topic=topic).set(measured_at)
