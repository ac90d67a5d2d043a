"""What does submitting an initiative cost, next to the cheapest request the same app answers?

    python -m bench.submission_http [--seconds-per-level 5] [--levels 1,4,16,64]
                                    [--warmup-seconds 3] [--no-idempotency-series]
                                    [--shared-pool] [--against REF]

The submissions service runs as a real process (`python -m services.submissions`) on a fresh
PostgreSQL database and the real Kafka broker, so its outbox relay publishes as in production.
It is migrated and seeded through its own API (the union tree, the 2022 campaign, phase dot-1
open). Then, at each concurrency level N, for a fixed duration each, N clients in this process
(asyncio, N keep-alive connections: an httpx.AsyncClient of one connection per client, or with
--shared-pool one AsyncClient with a pool of N, see `clients`) send back to back:

  health      GET /health: the same app, no database: the ceiling (baseline)
  submit      valid POST /api/v1/initiatives as PVGAS's officer for unit PVGAS-KCM, every
              title, author and figure different, no Idempotency-Key
  submit+key  the same with a fresh Idempotency-Key each (the key is stored with the answer)

For each: successful requests per second, latency p50/p99 (ms), errors (any non-2xx or
transport failure; a valid run has none), the ratio to health, and where the CPU went (this
process, the service, its PostgreSQL backends, everything else: Kafka, PostgreSQL's background
processes, other programs). The service's CPU per request against /health's is the steadier
ratio: the load generator costs ~2 ms of CPU per request itself, so /health's throughput is
bounded by the generator as much as by the service. After each submit series the relay's
backlog is measured: rows still unpublished when the clients stopped, how long the relay took
to drain them, and each row's lag from being written (in the request's transaction) to its
publication. The series are separated by a full drain.

With `--against REF` (a commit, a tag, HEAD~3), the submissions service of that revision runs
too, from a copy of its tree (`git archive`) on a database of its own, and each level is
measured for both in turn: a before/after under the same load of the machine, which on a
shared machine swings more between two runs than between two processes of one run.

Everything shares one machine (2 cores here): the load generator, the service, PostgreSQL and
Kafka compete for them, so the figures are ratios within this run, not capacity.
Writes bench/results/submission_http-<UTC time>.json; exits 1 if any request failed.
"""

import argparse
import asyncio
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.results import save
from services.submissions.db import messaging
from services.submissions.demo import seed_campaign, seed_units, token
from shared.auth import Role
from shared.contracts.vocabulary import InitiativeField
from shared.db import create_engine
from tests.support.databases import DatabaseFactory
from tests.support.infrastructure import REPO, kafka_bootstrap, postgres_admin_url
from tests.support.services import ServiceProcess

OFFICER = ("PVGAS-CB01", "PVGAS", Role.UNIT_OFFICER)
UNIT = "PVGAS-KCM"
HEALTH, SUBMIT, SUBMIT_KEYED = "health", "submit", "submit+key"
OUTBOX = messaging.outbox
TICKS = os.sysconf("SC_CLK_TCK")
NAMES = (
    "Nguyễn Văn An",
    "Trần Thị Bích Ngọc",
    "Lê Hoàng Phúc",
    "Phạm Minh Đức",
    "Huỳnh Thị Thu",
    "Đặng Quốc Khánh",
)
FIELDS = tuple(InitiativeField)
DRAIN_TIMEOUT = 300.0

Call = Callable[[httpx.AsyncClient, int, int], Awaitable[httpx.Response]]


# --- the requests ---------------------------------------------------------------------------


def initiative(run: str, worker: int, n: int) -> dict[str, Any]:
    """A valid initiative, different in every field a cache or an index could notice."""
    serial = f"{run}-{worker:02d}-{n:06d}"
    member = f"KCM-{worker:02d}{n:06d}"
    authors = [{"member_id": member, "full_name": NAMES[n % len(NAMES)], "share_percent": 100}]
    if n % 2:
        authors = [
            {**authors[0], "share_percent": 60},
            {
                "member_id": f"{member}-2",
                "full_name": NAMES[(n + 1) % len(NAMES)],
                "share_percent": 40,
            },
        ]
    return {
        "title": f"Tối ưu vận hành máy nén khí, phương án {serial}",
        "unit_code": UNIT,
        "field": FIELDS[n % len(FIELDS)].value,
        "problem": f"Máy nén khí chạy non tải vào giờ thấp điểm (khảo sát {serial}).",
        "solution": f"Tự động chuyển chế độ vận hành theo lưu lượng khí đầu vào ({serial}).",
        "authors": authors,
        "first_applied_on": (date(2022, 1, 1) + timedelta(days=(worker * 7 + n) % 360)).isoformat(),
        "expected_benefit_vnd": 1_000_000 * (1 + (worker * 1009 + n) % 5000),
    }


def health_call() -> Call:
    async def call(client: httpx.AsyncClient, worker: int, n: int) -> httpx.Response:
        return await client.get("/health")

    return call


def submit_call(run: str, headers: dict[str, str], *, keyed: bool) -> Call:
    async def call(client: httpx.AsyncClient, worker: int, n: int) -> httpx.Response:
        extra = {"Idempotency-Key": f"bench-{uuid4()}"} if keyed else {}
        return await client.post(
            "/api/v1/initiatives", json=initiative(run, worker, n), headers={**headers, **extra}
        )

    return call


# --- CPU accounting from /proc (Linux) ------------------------------------------------------


def _process_cpu(pid: int) -> float:
    """User + system CPU seconds of a process, 0 if it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS


def _postgres_backends(database: str) -> dict[int, float]:
    """CPU seconds of each PostgreSQL backend serving `database` (title `postgres: user db …`)."""
    found: dict[int, float] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            title = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").split()
        except OSError:
            continue
        if len(title) > 2 and title[0] == b"postgres:" and title[2] == database.encode():
            found[int(entry)] = _process_cpu(int(entry))
    return found


def _machine_cpu() -> tuple[float, float]:
    """(busy, total) CPU seconds summed over all cores since boot."""
    ticks = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = ticks[3] + ticks[4]
    total = sum(ticks[:8])  # guest time is already counted in user
    return (total - idle) / TICKS, total / TICKS


@dataclass(frozen=True)
class CpuSample:
    """CPU seconds used so far by this client, the service under test and each PostgreSQL
    backend, and the machine's busy and total seconds: two samples make a series' cost."""

    client: float
    service: float
    postgres: dict[int, float]
    machine_busy: float
    machine_total: float

    @classmethod
    def take(cls, service_pid: int, database: str) -> "CpuSample":
        busy, total = _machine_cpu()
        return cls(
            client=time.process_time(),
            service=_process_cpu(service_pid),
            postgres=_postgres_backends(database),
            machine_busy=busy,
            machine_total=total,
        )

    def until(self, later: "CpuSample") -> dict[str, float]:
        """CPU seconds spent by each party between two samples."""
        postgres = sum(cpu - self.postgres.get(pid, 0.0) for pid, cpu in later.postgres.items())
        busy = later.machine_busy - self.machine_busy
        client, service = later.client - self.client, later.service - self.service
        return {
            "load_generator": client,
            "service": service,
            "postgres_backends": postgres,
            "other": max(0.0, busy - client - service - postgres),
            "machine_busy": busy,
            "machine_total": later.machine_total - self.machine_total,
        }


# --- one series -----------------------------------------------------------------------------


@dataclass
class Outcomes:
    latencies: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    error_samples: list[str] = field(default_factory=list)

    def record(self, started: float, response: httpx.Response | Exception) -> None:
        if isinstance(response, httpx.Response) and response.is_success:
            self.latencies.append(time.perf_counter() - started)
            return
        if isinstance(response, httpx.Response):
            kind, detail = str(response.status_code), response.text[:300]
        else:
            kind, detail = type(response).__name__, repr(response)[:300]
        self.errors[kind] += 1
        sample = f"{kind}: {detail}"
        if len(self.error_samples) < 5 and sample not in self.error_samples:
            self.error_samples.append(sample)


async def _client_loop(
    client: httpx.AsyncClient, call: Call, worker: int, deadline: float, outcomes: Outcomes
) -> None:
    n = 0
    while time.perf_counter() < deadline:
        started = time.perf_counter()
        try:
            outcomes.record(started, await call(client, worker, n))
        except httpx.HTTPError as error:
            outcomes.record(started, error)
        n += 1


def _percentile(ordered: list[float], fraction: float) -> float:
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


def _latency_ms(latencies: list[float]) -> dict[str, float]:
    ordered = sorted(latencies)
    return {
        "p50": 1000 * _percentile(ordered, 0.50),
        "p90": 1000 * _percentile(ordered, 0.90),
        "p99": 1000 * _percentile(ordered, 0.99),
        "max": 1000 * (ordered[-1] if ordered else 0.0),
        "mean": 1000 * (statistics.fmean(ordered) if ordered else 0.0),
    }


def clients(url: str, concurrency: int, shared_pool: bool) -> list[httpx.AsyncClient]:
    """N keep-alive connections, one per simulated client.

    By default each client has its own httpx.AsyncClient holding one connection. With
    `shared_pool`, all N share one AsyncClient whose pool holds N: httpcore then spends CPU
    proportional to the pool's size on every request (encode/httpx#3215), ~20 ms per request
    at N=64 here, so the load generator, not the service, becomes what is measured."""
    if shared_pool:
        limits = httpx.Limits(
            max_connections=concurrency, max_keepalive_connections=concurrency, keepalive_expiry=60
        )
        return [httpx.AsyncClient(base_url=url, limits=limits, timeout=30)] * concurrency
    one = httpx.Limits(max_connections=1, max_keepalive_connections=1, keepalive_expiry=60)
    return [httpx.AsyncClient(base_url=url, limits=one, timeout=30) for _ in range(concurrency)]


async def run_series(
    service: ServiceProcess,
    database: str,
    call: Call,
    concurrency: int,
    seconds: float,
    shared_pool: bool,
) -> dict[str, Any]:
    assert service.process is not None
    pool = clients(service.url, concurrency, shared_pool)
    try:
        # Open the N keep-alive connections before the clock starts.
        await asyncio.gather(*(client.get("/health") for client in pool))
        outcomes = Outcomes()
        before = CpuSample.take(service.process.pid, database)
        started = time.perf_counter()
        await asyncio.gather(
            *(
                _client_loop(client, call, worker, started + seconds, outcomes)
                for worker, client in enumerate(pool)
            )
        )
        elapsed = time.perf_counter() - started
        cpu = before.until(CpuSample.take(service.process.pid, database))
    finally:
        await asyncio.gather(*(client.aclose() for client in set(pool)))
    ok, failed = len(outcomes.latencies), sum(outcomes.errors.values())
    per_request = max(1, ok + failed)
    return {
        "concurrency": concurrency,
        "seconds": elapsed,
        "ok": ok,
        "errors": failed,
        "errors_by_kind": dict(outcomes.errors),
        "error_samples": outcomes.error_samples,
        "throughput_per_second": ok / elapsed,
        "latency_ms": _latency_ms(outcomes.latencies),
        "cpu_seconds": cpu,
        "cpu_ms_per_request": {
            name: 1000 * cpu[name] / per_request
            for name in ("load_generator", "service", "postgres_backends", "other")
        },
        "machine_cores_busy": cpu["machine_busy"] / elapsed,
    }


# --- the outbox -----------------------------------------------------------------------------


async def outbox_high_water(engine: AsyncEngine) -> int:
    async with engine.connect() as connection:
        return int(await connection.scalar(select(func.coalesce(func.max(OUTBOX.c.id), 0))) or 0)


async def pending_rows(engine: AsyncEngine) -> int:
    query = select(func.count()).select_from(OUTBOX).where(OUTBOX.c.published_at.is_(None))
    async with engine.connect() as connection:
        return int(await connection.scalar(query) or 0)


async def drain(engine: AsyncEngine, after_id: int) -> dict[str, Any]:
    """Wait until the relay has published everything; describe its backlog and its lag."""
    started = time.perf_counter()
    pending_at_end = remaining = await pending_rows(engine)
    while remaining and time.perf_counter() - started < DRAIN_TIMEOUT:
        await asyncio.sleep(0.01)
        remaining = await pending_rows(engine)
    drain_seconds = time.perf_counter() - started
    lag = func.extract("epoch", OUTBOX.c.published_at - OUTBOX.c.created_at)
    query = select(
        func.count(),
        func.percentile_cont(0.5).within_group(lag),
        func.percentile_cont(0.99).within_group(lag),
        func.max(lag),
    ).where(OUTBOX.c.id > after_id, OUTBOX.c.published_at.is_not(None))
    async with engine.connect() as connection:
        written, p50, p99, worst = (await connection.execute(query)).one()
    return {
        "rows_written": int(written) + remaining,
        "pending_when_clients_stopped": pending_at_end,
        "drain_seconds": drain_seconds if pending_at_end else 0.0,
        "still_pending_after_timeout": remaining,
        "publish_lag_ms": {
            "p50": 1000 * float(p50 or 0),
            "p99": 1000 * float(p99 or 0),
            "max": 1000 * float(worst or 0),
        },
    }


# --- the run --------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return {
        "cores": os.cpu_count(),
        "cpu": model,
        "python": platform.python_version(),
        "note": "the load generator (this process, asyncio), the service, PostgreSQL and Kafka "
        "all share these cores",
    }


def seed(url: str, root: Path = REPO) -> None:
    """The union tree and the 2022 plan of the tree at `root` (its own campaign file, which
    its own model accepts), phase dot-1 opened."""
    with httpx.Client(base_url=url, timeout=60) as client:
        seed_units(client)
        seed_campaign(client, root / "campaigns" / "2022.yaml")
        phases = client.get("/api/v1/campaigns/2022", headers=token(*OFFICER)).json()["phases"]
    if not any(p["code"] == "dot-1" and p["status"] == "open" for p in phases):
        raise RuntimeError(f"phase dot-1 is not open after seeding: {phases}")


@dataclass
class Target:
    """One submissions process under measurement: the working tree's, or `--against`'s."""

    label: str
    service: ServiceProcess
    database: str
    engine: AsyncEngine
    rows: list[dict[str, Any]] = field(default_factory=list)


async def start_target(
    label: str,
    databases: DatabaseFactory,
    bootstrap: str,
    logs: Path,
    root: Path | None = None,
) -> Target:
    url = await databases.create("bench_http")
    database = url.rsplit("/", 1)[1].split("?", 1)[0]
    folder = logs / label
    folder.mkdir()
    service = ServiceProcess("submissions", url, bootstrap, folder)
    if root is not None:
        service.root = root
    target = Target(label, service, database, create_engine(url))
    await asyncio.to_thread(service.migrate)
    await asyncio.to_thread(service.start)
    await asyncio.to_thread(seed, service.url, root or REPO)
    return target


async def measure(
    targets: list[Target],
    levels: list[int],
    seconds: float,
    warmup: float,
    keyed_series: bool,
    shared_pool: bool,
) -> None:
    """Appends one row per level to each target's `rows` (kept as far as it got if a level
    fails). With several targets, each level is measured for each in turn, so that they share
    the machine's load of that moment."""
    officer = token(*OFFICER)
    run = uuid4().hex[:6]
    calls = {HEALTH: health_call(), SUBMIT: submit_call(run, officer, keyed=False)}
    if keyed_series:
        calls[SUBMIT_KEYED] = submit_call(run + "k", officer, keyed=True)
    # Warm up: lazy imports, the database pool's connections, the producer's metadata.
    warm = max(levels)
    for target in targets:
        for name, call in calls.items():
            print(f"warming up {target.label}: {name} x {warm} for {warmup:.0f} s", file=sys.stderr)
            await run_series(target.service, target.database, call, warm, warmup, shared_pool)
        await drain(target.engine, 0)

    for level in levels:
        for target in targets:
            row: dict[str, Any] = {"concurrency": level}
            for name, call in calls.items():
                print(f"{target.label} level {level}: {name} for {seconds:.0f} s", file=sys.stderr)
                service = target.service
                high_water = await outbox_high_water(target.engine)
                series = await run_series(
                    service, target.database, call, level, seconds, shared_pool
                )
                if name != HEALTH:
                    series["outbox"] = await drain(target.engine, high_water)
                assert service.process is not None
                if service.process.poll() is not None:
                    raise RuntimeError(f"the service exited during {name} x {level}")
                row[name] = series
            ceiling = row[HEALTH]["throughput_per_second"] or 1.0
            row["ratio_to_health"] = {
                name: row[name]["throughput_per_second"] / ceiling
                for name in calls
                if name != HEALTH
            }
            # Steadier than throughput on a shared machine: the service's own CPU per request.
            health_cpu = row[HEALTH]["cpu_ms_per_request"]["service"] or 1e-9
            row["service_cpu_per_request_to_health"] = {
                name: row[name]["cpu_ms_per_request"]["service"] / health_cpu
                for name in calls
                if name != HEALTH
            }
            target.rows.append(row)


def export(ref: str, into: Path) -> str:
    """The tree of git revision `ref` in `into` (git archive); its full commit id."""
    commit = subprocess.run(
        ["git", "rev-parse", "--verify", f"{ref}^{{commit}}"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    archive = subprocess.run(
        ["git", "archive", commit], cwd=REPO, capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return commit


async def main(
    levels: list[int],
    seconds: float,
    warmup: float,
    keyed_series: bool,
    shared_pool: bool,
    against: str | None = None,
) -> dict[str, Any]:
    result: dict[str, Any] = {
        "benchmark": "submission_http",
        "started_at": datetime.now(UTC).isoformat(),
        "machine": machine(),
        "settings": {
            "levels": levels,
            "seconds_per_level": seconds,
            "warmup_seconds": warmup,
            "database": "PostgreSQL (fresh database), SQLAlchemy pool 10 + overflow 10",
            "kafka": "real broker; the service's outbox relay publishes with acks=all",
            "client": (
                "one httpx.AsyncClient with a keep-alive pool of N connections"
                if shared_pool
                else "N httpx.AsyncClients with one keep-alive connection each"
            ),
        },
        "levels": [],
    }
    targets: list[Target] = []
    with (
        kafka_bootstrap() as bootstrap,
        postgres_admin_url() as admin_url,
        tempfile.TemporaryDirectory() as logs,
        tempfile.TemporaryDirectory() as older,
    ):
        databases = DatabaseFactory(admin_url)
        try:
            targets.append(await start_target("tree", databases, bootstrap, Path(logs)))
            if against is not None:
                commit = export(against, Path(older))
                result["against"] = {"ref": against, "commit": commit, "levels": []}
                targets.append(
                    await start_target(against, databases, bootstrap, Path(logs), Path(older))
                )
            await measure(targets, levels, seconds, warmup, keyed_series, shared_pool)
        except Exception as error:  # reported with the service's log, not hidden
            result["failure"] = repr(error)
        finally:
            if targets:
                result["levels"] = targets[0].rows
            if len(targets) > 1:
                result["against"]["levels"] = targets[1].rows
            result["errors"] = sum(
                row[name]["errors"]
                for target in targets
                for row in target.rows
                for name in (HEALTH, SUBMIT, SUBMIT_KEYED)
                if name in row
            )
            if (result["errors"] or "failure" in result) and targets:
                result["service_log_tail"] = "\n".join(
                    f"[{t.label}]\n{t.service.log_tail(40)}" for t in targets
                )
            for target in targets:
                await target.engine.dispose()
                await asyncio.to_thread(target.service.stop)
            await databases.drop_all()
    return result


# --- the report -----------------------------------------------------------------------------


def report(result: dict[str, Any]) -> None:
    box, settings = result["machine"], result["settings"]
    print(
        f"submissions over HTTP: {settings['seconds_per_level']:g} s per series,"
        f" {settings['client']}."
    )
    print(f"{box['cores']} cores ({box['cpu']}) shared by the load generator (this process,")
    print("asyncio), the service, PostgreSQL and Kafka: compare ratios within this run, not")
    print("absolute figures.")
    print("  req/s     successful requests per second; errors: non-2xx or transport failures")
    print("  ratio     req/s against /health at the same N (the ceiling)")
    print("  svc x     the service's CPU per request against /health's: the cost of validation,")
    print("            the database and the outbox, steadier than req/s on a shared machine")
    print("  CPU ms/req  gen: load generator; svc: the service (its relay included); pg: its")
    print("            PostgreSQL backends; other: Kafka, PostgreSQL's background processes and")
    print("            anything else running; cores: cores busy on average")
    print()
    tables = [("this tree", result["levels"])]
    if "against" in result:
        against = result["against"]
        tables.append((f"{against['ref']} ({against['commit'][:10]})", against["levels"]))
        print("Two processes, this tree's and --against's, on databases of their own, measured")
        print("level by level in turn (each level: this tree's series, then the other's).")
        print()
    for label, rows in tables:
        if len(tables) > 1:
            print(label)
        _table(rows)
    if len(tables) > 1:
        _compare(tables[0][1], tables[1][1])
    print()
    print("outbox relay after each submit series (rows unpublished when the clients stopped,")
    print("time to publish them all (10 ms resolution), each row's lag from being written in the")
    print("request's transaction to its publication):")
    print(
        f"{'N':>3}  {'series':<10} {'rows':>6} {'pending':>7} {'drain s':>8}"
        f" {'lag p50 ms':>10} {'lag p99 ms':>10} {'lag max ms':>10}"
    )
    for row in result["levels"]:
        for name in (SUBMIT, SUBMIT_KEYED):
            if name not in row:
                continue
            out = row[name]["outbox"]
            lag = out["publish_lag_ms"]
            print(
                f"{row['concurrency']:>3}  {name:<10} {out['rows_written']:>6}"
                f" {out['pending_when_clients_stopped']:>7} {out['drain_seconds']:>8.2f}"
                f" {lag['p50']:>10.1f} {lag['p99']:>10.1f} {lag['max']:>10.1f}"
            )
            if out["rows_written"] != row[name]["ok"]:
                print(f"     ! {out['rows_written']} outbox rows for {row[name]['ok']} submissions")
    print()
    if "failure" in result:
        print(f"RUN FAILED: {result['failure']}")
    if result["errors"]:
        print(f"INVALID RUN: {result['errors']} requests failed")
        for row in result["levels"]:
            for name in (HEALTH, SUBMIT, SUBMIT_KEYED):
                if name in row and row[name]["errors"]:
                    print(f"  N={row['concurrency']} {name}: {row[name]['errors_by_kind']}")
                    for sample in row[name]["error_samples"]:
                        print(f"    {sample}")
    if "service_log_tail" in result:
        print("service log tail:")
        print(result["service_log_tail"])
    elif not result["errors"]:
        print("valid run: no request failed")


def _table(rows: list[dict[str, Any]]) -> None:
    head = (
        f"{'N':>3}  {'series':<10} {'req/s':>7} {'p50 ms':>8} {'p99 ms':>8} {'errors':>6}"
        f" {'ratio':>6} {'svc x':>6}   {'gen':>5} {'svc':>5} {'pg':>5} {'other':>5} {'cores':>5}"
    )
    print(head)
    print("-" * len(head))
    for row in rows:
        for name in (HEALTH, SUBMIT, SUBMIT_KEYED):
            if name not in row:
                continue
            s = row[name]
            ratio = row["ratio_to_health"].get(name, 1.0)
            cpu_ratio = row["service_cpu_per_request_to_health"].get(name, 1.0)
            cpu = s["cpu_ms_per_request"]
            print(
                f"{row['concurrency']:>3}  {name:<10} {s['throughput_per_second']:>7.0f}"
                f" {s['latency_ms']['p50']:>8.1f} {s['latency_ms']['p99']:>8.1f}"
                f" {s['errors']:>6} {ratio:>6.3f} {cpu_ratio:>6.1f}   {cpu['load_generator']:>5.2f}"
                f" {cpu['service']:>5.2f} {cpu['postgres_backends']:>5.2f}"
                f" {cpu['other']:>5.2f} {s['machine_cores_busy']:>5.2f}"
            )
    print()


def _compare(tree: list[dict[str, Any]], other: list[dict[str, Any]]) -> None:
    """This tree against the other, per level and series: the ratios to /health of each, and
    the service's CPU per request of this tree's against the other's."""
    print("this tree against --against (ratio to /health; the service's CPU ms per request):")
    for mine, theirs in zip(tree, other, strict=False):
        for name in (SUBMIT, SUBMIT_KEYED):
            if name not in mine or name not in theirs:
                continue
            cpu_mine = mine[name]["cpu_ms_per_request"]["service"]
            cpu_theirs = theirs[name]["cpu_ms_per_request"]["service"]
            print(
                f"{mine['concurrency']:>3}  {name:<10} ratio {theirs['ratio_to_health'][name]:.3f}"
                f" -> {mine['ratio_to_health'][name]:.3f}   svc CPU {cpu_theirs:.2f}"
                f" -> {cpu_mine:.2f} ms ({cpu_mine / (cpu_theirs or 1e-9):.2f}x)"
            )
    print()


def _levels(text: str) -> list[int]:
    levels = [int(part) for part in text.split(",") if part.strip()]
    if not levels or min(levels) < 1:
        raise argparse.ArgumentTypeError("levels are positive integers, e.g. 1,4,16,64")
    return levels


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds-per-level", type=float, default=5.0)
    parser.add_argument("--levels", type=_levels, default=[1, 4, 16, 64])
    parser.add_argument("--warmup-seconds", type=float, default=3.0)
    parser.add_argument(
        "--no-idempotency-series",
        action="store_true",
        help="skip the third series (a fresh Idempotency-Key on every submission)",
    )
    parser.add_argument(
        "--shared-pool",
        action="store_true",
        help="one httpx.AsyncClient with a pool of N connections instead of N clients of one "
        "(shows httpcore's per-request cost growing with the pool; see clients())",
    )
    parser.add_argument(
        "--against",
        metavar="REF",
        help="also run the submissions service of git revision REF (a copy of its tree, on a "
        "database of its own) and measure both in turn at each level: a before/after in one run",
    )
    args = parser.parse_args()
    outcome = asyncio.run(
        main(
            args.levels,
            args.seconds_per_level,
            args.warmup_seconds,
            not args.no_idempotency_series,
            args.shared_pool,
            args.against,
        )
    )
    report(outcome)
    path = save("submission_http", outcome, ensure_ascii=False)
    print(f"written: {path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path}")
    sys.exit(1 if outcome["errors"] or "failure" in outcome else 0)
