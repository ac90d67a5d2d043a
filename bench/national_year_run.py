"""Running the consumers of a national year and watching them: their consumer groups'
committed offsets against the topics' ends (what `shared.messaging.lag` reads, from outside
the group), their processes' memory and CPU from /proc."""

import asyncio
import os
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from uuid import uuid4

import asyncpg
from aiokafka import TopicPartition

from bench.consumer_batches import definition
from bench.national_year_data import YearCounts, type_name
from bench.national_year_profile import profile
from shared.messaging.lag import GroupOffsets
from tests.support.databases import DatabaseFactory
from tests.support.services import ServiceProcess

CONSUMERS = ("scoring", "notifications", "reporting")


def say(text: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {text}", flush=True)


@dataclass(frozen=True)
class Reads:
    """What one consumer reads of the year: its topics (all their records are polled and
    committed) and the events it applies (the types it subscribes to)."""

    topics: tuple[str, ...]
    records: int
    applies: int


def reads(name: str, counts: YearCounts) -> Reads:
    subscriptions = definition(name).subscriptions
    mine = {s.contract.topic for s in subscriptions}
    types = {type_name(s.contract.event_type) for s in subscriptions}
    return Reads(
        topics=tuple(sorted(t for t in mine if counts.by_topic[t])),
        records=sum(n for t, n in counts.by_topic.items() if t in mine),
        applies=sum(n for t, n in counts.by_type.items() if t in types),
    )


# --- /proc ----------------------------------------------------------------------------------------


def proc_status_mb(pid: int, key: str) -> float:
    """VmRSS (now) or VmHWM (peak) of a process, in MB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{key}:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pid_of(service: ServiceProcess) -> int:
    assert service.process is not None
    return service.process.pid


# --- one consumer phase ---------------------------------------------------------------------------


@dataclass
class Consumer:
    name: str
    group: str
    reads: Reads
    processes: list[ServiceProcess]
    done_at: float | None = None  # seconds after the start
    first_commit_at: float | None = None
    consumed: int = 0
    peak_rss_now_mb: float = 0.0
    progress: list[tuple[float, int]] = field(default_factory=list)


@dataclass
class Phase:
    replicas: int
    consumers: dict[str, Consumer]
    databases: DatabaseFactory
    urls: dict[str, str]


async def prepare(
    bootstrap: str,
    databases: DatabaseFactory,
    counts: YearCounts,
    replicas: int,
    logs: Path,
    extra_env: dict[str, str] | None = None,
) -> Phase:
    """Fresh databases (migrated) and fresh consumer groups, `replicas` processes each."""
    consumers, urls = {}, {}
    for name in CONSUMERS:
        url = urls[name] = await databases.create(f"ny{replicas}_{name}")
        group = f"{name}-national-{replicas}-{uuid4().hex[:6]}"
        processes = []
        for k in range(replicas):
            folder = logs / f"r{replicas}-{name}-{k}"
            folder.mkdir(parents=True, exist_ok=True)
            processes.append(
                ServiceProcess(
                    name,
                    url,
                    bootstrap,
                    folder,
                    extra_env={
                        "KAFKA_GROUP_ID": group,
                        "LAG_POLL_INTERVAL_SECONDS": "10",
                        **(extra_env or {}),
                    },
                )
            )
        consumers[name] = Consumer(name, group, reads(name, counts), processes)
    await asyncio.gather(*(asyncio.to_thread(c.processes[0].migrate) for c in consumers.values()))
    return Phase(replicas, consumers, databases, urls)


async def committed_total(
    offsets: GroupOffsets, group: str, ends: dict[TopicPartition, int]
) -> tuple[int, bool]:
    """Records the group has committed past on `ends`' partitions, and whether all of them."""
    committed = await offsets.committed(group)
    done = all(committed.get(tp, 0) >= end for tp, end in ends.items())
    return sum(min(committed.get(tp, 0), end) for tp, end in ends.items()), done


async def run_phase(
    bootstrap: str,
    phase: Phase,
    budget: float,
    profile_seconds: float = 0.0,
    profile_dir: Path | None = None,
) -> dict[str, Any]:
    """Start every process at once; watch until each group has committed every record of its
    topics, or `budget` seconds have passed. With `profile_seconds`, each consumer's first
    process is sampled by py-spy for that long, 20 s after they are all ready."""
    offsets = GroupOffsets(bootstrap, f"bench-watch-{uuid4().hex[:6]}")
    await offsets.start()
    processes = [p for c in phase.consumers.values() for p in c.processes]
    try:
        every_topic = sorted({t for c in phase.consumers.values() for t in c.reads.topics})
        all_ends = await offsets.end_offsets(await offsets.partitions(every_topic))
        ends = {
            name: {tp: e for tp, e in all_ends.items() if tp.topic in c.reads.topics}
            for name, c in phase.consumers.items()
        }
        say(f"  starting {len(processes)} processes ({phase.replicas} per consumer)")
        started = time.monotonic()
        ready: dict[int, float] = {}

        cpu_at_ready: dict[int, float] = {}

        async def start(process: ServiceProcess) -> None:
            await asyncio.to_thread(process.start, 600.0)
            ready[id(process)] = time.monotonic() - started
            # Its start (imports, migrations checked, connections) is not the events' cost.
            cpu_at_ready[id(process)] = cpu_seconds(pid_of(process))

        await asyncio.gather(*(start(p) for p in processes))
        ready_seconds = round(time.monotonic() - started, 1)
        say(f"  all ready after {ready_seconds} s")
        profiles: dict[str, asyncio.Task[dict[str, Any]]] = {}
        if profile_seconds > 0 and profile_dir is not None:
            profiles = {
                name: asyncio.create_task(
                    _profile_later(
                        pid_of(c.processes[0]),
                        profile_seconds,
                        profile_dir / f"national_year-{phase.replicas}r-{name}.pyspy.txt",
                    )
                )
                for name, c in phase.consumers.items()
            }
        last_report = started
        while True:
            now = time.monotonic() - started
            for name, consumer in phase.consumers.items():
                if consumer.done_at is not None:
                    continue
                total, done = await committed_total(offsets, consumer.group, ends[name])
                consumer.consumed = total
                if total and consumer.first_commit_at is None:
                    consumer.first_commit_at = now
                if not consumer.progress or now - consumer.progress[-1][0] >= 10:
                    consumer.progress.append((round(now, 1), total))
                if done:
                    consumer.done_at = now
                    consumer.progress.append((round(now, 1), total))
                    say(f"  {name} applied everything after {now:.1f} s")
                for process in consumer.processes:
                    if not process.running():
                        raise RuntimeError(f"{name} exited:\n{process.log_tail(60)}")
                    rss = proc_status_mb(pid_of(process), "VmRSS")
                    consumer.peak_rss_now_mb = max(consumer.peak_rss_now_mb, rss)
            if all(c.done_at is not None for c in phase.consumers.values()):
                break
            if now > budget:
                say(f"  budget of {budget:.0f} s spent; stopping the phase")
                break
            if time.monotonic() - last_report > 60:
                last_report = time.monotonic()
                say(
                    "  "
                    + ", ".join(
                        f"{c.name} {c.consumed}/{c.reads.records}" for c in phase.consumers.values()
                    )
                )
            await asyncio.sleep(1.0)
        elapsed = time.monotonic() - started
        result: dict[str, Any] = {
            "replicas": phase.replicas,
            "ready_seconds": ready_seconds,
            "elapsed_seconds": round(elapsed, 1),
            "budget_seconds": budget,
            "consumers": {},
        }
        for name, consumer in phase.consumers.items():
            pids = [pid_of(p) for p in consumer.processes]
            seconds = consumer.done_at if consumer.done_at is not None else elapsed
            # From the moment its processes were all up: what consuming takes, without the
            # start of the Python processes (which the two cores make slow while six start).
            own_ready = max(ready[id(p)] for p in consumer.processes)
            rate = consumer.consumed / (seconds - own_ready) if seconds > own_ready else 0.0
            cpu = [
                round(cpu_seconds(pid_of(p)) - cpu_at_ready[id(p)], 1) for p in consumer.processes
            ]
            entry: dict[str, Any] = {
                "group": consumer.group,
                "topics": list(consumer.reads.topics),
                "records": consumer.reads.records,
                "subscribed_events": consumer.reads.applies,
                "done": consumer.done_at is not None,
                "seconds": round(seconds, 1),
                "ready_seconds": round(own_ready, 1),
                "records_consumed": consumer.consumed,
                "records_per_second": round(rate, 1),
                "first_commit_seconds": consumer.first_commit_at,
                "projected_seconds_for_all": round(own_ready + consumer.reads.records / rate, 1)
                if rate
                else None,
                "peak_rss_mb_per_process": [round(proc_status_mb(p, "VmHWM"), 1) for p in pids],
                "cpu_seconds_per_process": cpu,
                "progress": consumer.progress,
            }
            entry["cpu_ms_per_record"] = (
                round(1000 * sum(cpu) / consumer.consumed, 3) if consumer.consumed else None
            )
            result["consumers"][name] = entry
        for name, task in profiles.items():
            if not task.done():
                task.cancel()
            elif task.exception() is None:
                result["consumers"][name]["profile"] = task.result()
        finished = [c.done_at for c in phase.consumers.values() if c.done_at is not None]
        result["wall_seconds_all_three"] = (
            round(max(finished), 1) if len(finished) == len(phase.consumers) else None
        )
        return result
    finally:
        await offsets.close()


async def _profile_later(pid: int, seconds: float, output: Path) -> dict[str, Any]:
    await asyncio.sleep(20)
    say(f"  py-spy on {pid} for {seconds:.0f} s")
    return await profile(pid, seconds, output)


async def stop(processes: Sequence[ServiceProcess]) -> None:
    await asyncio.gather(*(asyncio.to_thread(p.stop) for p in processes))


async def applied_counts(phase: Phase) -> dict[str, int]:
    """processed_events rows per consumer's database: the events it applied."""
    out = {}
    for name, url in phase.urls.items():
        dsn = url.replace("postgresql+asyncpg://", "postgresql://")
        connection = await asyncpg.connect(dsn)
        try:
            out[name] = int(await connection.fetchval("SELECT count(*) FROM processed_events"))
        finally:
            await connection.close()
    return out


def summary(consumer: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in consumer.items() if k != "progress"}


def as_dict(value: Any) -> Any:
    return asdict(value)
