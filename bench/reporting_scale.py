"""Reporting at national size: dashboard latency and projection throughput on a year's data.

    python -m bench.reporting_scale [--units 10000] [--initiatives 1000000] [--quick]

In one run, on one broker and one PostgreSQL server:
  1. a national year (10,000 units, 1,000,000 initiatives, registrations, reports, complaints,
     awards) is COPYed into reporting's read models as the projection would leave them
     (bench/reporting_scale_data.py); the load is timed;
  2. the real reporting service starts on that database; its first (cold) refresh of the
     targets and the league table is timed (refresh_state.seconds, and
     reporting_progress_refresh_seconds on /metrics);
  3. latency over HTTP (httpx, sequentially and with a few concurrent clients) of the targets
     and the league table, beside, in the same run: /health (the HTTP floor), a primary-key
     lookup (the database floor) and the league's question asked straight of the initiatives
     table with a plain index (what the materialised standings avoid); the trend, fields,
     honour board and summary endpoints are timed too (reported, not judged);
  4. projection: `initiative submitted` events at a steady rate, then a burst, while the
     consumer lag (reporting_consumer_lag_seconds, polled every second) and the events
     applied are read from /metrics; baseline: a raw aiokafka consumer reading the same records.
Prints a report; writes bench/results/reporting_scale.json. Timings are ratios against the
baselines of the same run: the machine's cores are shared by Kafka, PostgreSQL, the service
and this process (the load generator).
"""

import argparse
import asyncio
import json
import os
import platform
import random
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4

import asyncpg
import httpx
from aiokafka import AIOKafkaProducer
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import make_url

from bench.raw_kafka import raw_consume
from bench.reporting_scale_data import FIELD_WEIGHTS, Unit, load_year
from bench.results import RESULTS
from shared.auth import load_auth_settings
from shared.campaign.loader import load_campaign
from shared.campaign.model import Campaign
from shared.contracts import InitiativeAuthor, InitiativeSubmitted, topics
from shared.dev_tokens import token_for
from shared.messaging.cloudevents import KafkaRecord, new_envelope, to_record
from tests.support.databases import DatabaseFactory
from tests.support.infrastructure import kafka_bootstrap, postgres_admin_url
from tests.support.services import ServiceProcess

ROOT = Path(__file__).resolve().parents[1]
CAMPAIGN, PHASE = "2022", "dot-2"
TARGET_P95_MS = 50.0
# ~1,000,000 initiatives a year, submitted: the national average rate of the heaviest event.
NATIONAL_RATE = 1_000_000 / (365 * 24 * 3600)
ProgressHook = Callable[[str], None]


def say(text: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {text}", flush=True)


# --- timing series ------------------------------------------------------------------------------

Call = Callable[[int], Awaitable[None]]  # one request (the argument: its number); raises if bad


@dataclass
class Series:
    requests: int
    concurrency: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    per_second: float
    errors: int
    first_error: str = ""


def percentiles(latencies: Sequence[float]) -> tuple[float, float, float]:
    if len(latencies) < 2:
        value = latencies[0] if latencies else float("nan")
        return value, value, value
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    return cuts[49], cuts[94], cuts[98]


async def timed(calls: Sequence[Call], count: int, warmup: int = 5) -> Series:
    """`count` calls spread over len(calls) workers (each with its own connection), after
    `warmup` untimed calls per worker."""
    for call in calls:
        for n in range(warmup):
            await call(n)
    latencies: list[float] = []
    errors: list[str] = []
    issued = 0

    async def worker(call: Call) -> None:
        nonlocal issued
        while issued < count:
            number, issued = issued, issued + 1
            started = time.perf_counter()
            try:
                await call(number)
            except Exception as error:
                errors.append(f"{type(error).__name__}: {error}"[:300])
            latencies.append(1000 * (time.perf_counter() - started))

    started = time.perf_counter()
    await asyncio.gather(*(worker(call) for call in calls))
    wall = time.perf_counter() - started
    p50, p95, p99 = percentiles(latencies)
    return Series(
        requests=len(latencies),
        concurrency=len(calls),
        p50_ms=round(p50, 2),
        p95_ms=round(p95, 2),
        p99_ms=round(p99, 2),
        max_ms=round(max(latencies), 2),
        per_second=round(len(latencies) / wall, 1),
        errors=len(errors),
        first_error=errors[0] if errors else "",
    )


def http_call(client: httpx.AsyncClient, path: str) -> Call:
    async def call(_: int) -> None:
        response = await client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"{path}: {response.status_code} {response.text[:200]}")

    return call


def sql_call(
    connection: asyncpg.Connection, query: str, arguments: Callable[[int], Sequence[Any]]
) -> Call:
    async def call(number: int) -> None:
        await connection.fetch(query, *arguments(number))

    return call


async def http_series(
    base: str,
    path: str,
    count: int,
    concurrency: int,
    headers: dict[str, str] | None = None,
    request_timeout: float = 60.0,
    warmup: int = 5,
) -> Series:
    clients = [
        httpx.AsyncClient(base_url=base, headers=headers, timeout=request_timeout)
        for _ in range(concurrency)
    ]
    try:
        return await timed([http_call(c, path) for c in clients], count, warmup)
    finally:
        for client in clients:
            await client.aclose()


async def sql_series(
    dsn: str,
    query: str,
    arguments: Callable[[int], Sequence[Any]],
    count: int,
    concurrency: int,
    warmup: int = 5,
) -> Series:
    connections = [await asyncpg.connect(dsn) for _ in range(concurrency)]
    try:
        return await timed([sql_call(c, query, arguments) for c in connections], count, warmup)
    finally:
        for connection in connections:
            await connection.close()


# --- the service's /metrics and process ---------------------------------------------------------


def metric(text: str, name: str, **labels: str) -> float:
    """The sum of the samples called `name` whose labels include `labels`."""
    total = 0.0
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()):
                total += sample.value
    return total


@dataclass(frozen=True)
class Sample:
    at: float  # seconds since the projection phase started
    processed: float
    lag_seconds: float
    lag_messages: float
    refreshes: float
    refresh_seconds: float


async def sample(client: httpx.AsyncClient, origin: float) -> Sample:
    text = (await client.get("/metrics")).text
    return Sample(
        at=time.monotonic() - origin,
        processed=metric(text, "reporting_events_processed_total"),
        lag_seconds=metric(text, "reporting_consumer_lag_seconds", topic=topics.INITIATIVES),
        lag_messages=metric(text, "reporting_consumer_lag_messages", topic=topics.INITIATIVES),
        refreshes=metric(text, "reporting_progress_refresh_seconds_count"),
        refresh_seconds=metric(text, "reporting_progress_refresh_seconds_sum"),
    )


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, from /proc (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_cpu() -> tuple[float, float]:
    """Busy and total CPU time of the whole machine so far (jiffies, /proc/stat)."""
    fields = [float(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    return sum(fields) - fields[3] - fields[4], sum(fields)


def machine_busy(since: tuple[float, float]) -> float:
    """The share of the machine's CPUs busy (with anything, ours or not) since `since`."""
    busy, total = machine_cpu()
    return round((busy - since[0]) / (total - since[1]), 2) if total > since[1] else 0.0


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


# --- 2. the first refresh -------------------------------------------------------------------------


async def first_refresh(dsn: str, base: str, phases: int, started: float) -> dict[str, Any]:
    connection = await asyncpg.connect(dsn)
    try:
        deadline = time.monotonic() + 1800
        while True:
            rows = await connection.fetch(
                "SELECT phase_code, seconds FROM refresh_state WHERE campaign_code = $1", CAMPAIGN
            )
            if len(rows) >= phases or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.25)
        waited = time.monotonic() - started
        standings = await connection.fetchval("SELECT count(*) FROM standings")
    finally:
        await connection.close()
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        text = (await client.get("/metrics")).text
    return {
        "refresh_state_seconds": {r["phase_code"]: round(r["seconds"], 3) for r in rows},
        "metrics_refreshes": metric(text, "reporting_progress_refresh_seconds_count"),
        "metrics_refresh_seconds_sum": round(
            metric(text, "reporting_progress_refresh_seconds_sum"), 3
        ),
        "start_to_all_phases_refreshed_seconds": round(waited, 2),
        "standings_rows": standings,
    }


# --- 3. latency ----------------------------------------------------------------------------------


@dataclass
class LatencyPlan:
    requests: int
    concurrency: int
    plain_requests: int
    other_requests: int
    summary_requests: int


PROGRESS = f"/api/v1/progress/{CAMPAIGN}/{PHASE}"
LEAGUE_GRASSROOTS = f"/api/v1/league/{CAMPAIGN}/{PHASE}?level=grassroots&limit=20"
LEAGUE_AFFILIATED = f"/api/v1/league/{CAMPAIGN}/{PHASE}?level=affiliated&limit=20"
# The league's question straight from the initiatives: each unit's own initiatives (not its
# subtree's), ranked; with an index on (campaign_code, unit_code) made for it.
PLAIN_INDEX = (
    "CREATE INDEX bench_ix_initiatives_campaign_unit ON initiatives (campaign_code, unit_code)"
    " INCLUDE (withdrawn, recognised, expected_benefit_vnd)"
)
PLAIN_LEAGUE = (
    "SELECT unit_code, count(*) AS submitted, count(*) FILTER (WHERE recognised) AS recognised,"
    " sum(expected_benefit_vnd) AS benefit FROM initiatives"
    " WHERE campaign_code = $1 AND NOT withdrawn GROUP BY unit_code"
    " ORDER BY recognised DESC, submitted DESC, benefit DESC, unit_code LIMIT 20"
)
POINT = "SELECT code, name, level, path FROM units WHERE code = $1"
# What the API itself asks the database, per request (same statements, via asyncpg).
API_CAMPAIGN = "SELECT definition FROM campaigns WHERE code = $1"
API_TARGETS = (
    "SELECT * FROM target_progress WHERE campaign_code = $1 AND phase_code = $2 ORDER BY number"
)
API_LEAGUE_COUNT = (
    "SELECT count(*) FROM standings WHERE campaign_code = $1 AND phase_code = $2 AND level = $3"
)
API_LEAGUE_ROWS = (
    "SELECT * FROM standings WHERE campaign_code = $1 AND phase_code = $2 AND level = $3"
    " ORDER BY rank, unit_code LIMIT 20"
)


async def json_costs(dsn: str) -> dict[str, float]:
    """What every progress and league request decodes besides its answer, timed here (in
    this process): the campaign's definition (JSON, then validated into a Campaign) and the
    targets' rows with up to 200 lagging units each (the league reads them too)."""
    connection = await asyncpg.connect(dsn)
    try:
        definition = await connection.fetchval(
            "SELECT definition::text FROM campaigns WHERE code = $1", CAMPAIGN
        )
        lagging = await connection.fetch(
            "SELECT lagging::text AS text, json_array_length(lagging) AS n FROM target_progress"
            " WHERE campaign_code = $1 AND phase_code = $2",
            CAMPAIGN,
            PHASE,
        )
    finally:
        await connection.close()

    def per_call_ms(work: Callable[[], object], rounds: int = 200) -> float:
        started = time.perf_counter()
        for _ in range(rounds):
            work()
        return round(1000 * (time.perf_counter() - started) / rounds, 3)

    parsed = json.loads(definition)
    return {
        "campaign_definition_kb": round(len(definition.encode()) / 1024, 1),
        "campaign_json_decode_ms": per_call_ms(lambda: json.loads(definition)),
        "campaign_validate_ms": per_call_ms(lambda: Campaign.model_validate(parsed)),
        "target_rows_lagging_kb": round(sum(len(r["text"].encode()) for r in lagging) / 1024, 1),
        "target_rows_lagging_units": sum(r["n"] for r in lagging),
        "target_rows_json_decode_ms": per_call_ms(lambda: [json.loads(r["text"]) for r in lagging]),
    }


async def latency(
    dsn: str, service: ServiceProcess, units: Sequence[Unit], plan: LatencyPlan
) -> dict[str, Any]:
    n, c, base = plan.requests, plan.concurrency, service.url
    assert service.process is not None
    pid = service.process.pid
    out: dict[str, Any] = {"http": {}, "sql": {}, "other_http": {}, "explain": {}}
    http = out["http"]
    for name, path in (
        ("health", "/health"),
        ("progress", PROGRESS),
        ("league_grassroots", LEAGUE_GRASSROOTS),
        ("league_affiliated", LEAGUE_AFFILIATED),
    ):
        for concurrency in (1, c):
            say(f"  HTTP {name} x{n} concurrency {concurrency}")
            cpu, machine = cpu_seconds(pid), machine_cpu()
            series = asdict(await http_series(base, path, n, concurrency))
            # The service's own CPU per request (warm-up requests included: 5 a client).
            series["service_cpu_ms"] = round(
                1000 * (cpu_seconds(pid) - cpu) / (n + 5 * concurrency), 2
            )
            series["machine_busy_share"] = machine_busy(machine)
            http[f"{name}@{concurrency}"] = series

    codes = [u.code for u in units]
    rng = random.Random(7)
    picks = [rng.choice(codes) for _ in range(max(n, 1) + 50)]
    sql = out["sql"]

    def point(k: int) -> Sequence[Any]:
        return (picks[k % len(picks)],)

    def league_args(level: str) -> Callable[[int], Sequence[Any]]:
        return lambda _: (CAMPAIGN, PHASE, level)

    statements: list[tuple[str, str, Callable[[int], Sequence[Any]], int]] = [
        ("point_units_pk", POINT, point, n),
        ("api_sql_campaign", API_CAMPAIGN, lambda _: (CAMPAIGN,), n),
        ("api_sql_targets", API_TARGETS, lambda _: (CAMPAIGN, PHASE), n),
        ("api_sql_league_count_grassroots", API_LEAGUE_COUNT, league_args("grassroots"), n),
        ("api_sql_league_rows_grassroots", API_LEAGUE_ROWS, league_args("grassroots"), n),
    ]
    for name, query, arguments, count in statements:
        for concurrency in (1, c):
            say(f"  SQL {name} x{count} concurrency {concurrency}")
            sql[f"{name}@{concurrency}"] = asdict(
                await sql_series(dsn, query, arguments, count, concurrency)
            )
    connection = await asyncpg.connect(dsn)
    try:
        started = time.perf_counter()
        await connection.execute(PLAIN_INDEX)
        await connection.execute("ANALYZE initiatives")
        out["plain_index_build_seconds"] = round(time.perf_counter() - started, 2)
        for name, query, values in (
            ("plain_league", PLAIN_LEAGUE, (CAMPAIGN,)),
            ("api_sql_league_rows_grassroots", API_LEAGUE_ROWS, (CAMPAIGN, PHASE, "grassroots")),
            ("point_units_pk", POINT, (codes[len(codes) // 2],)),
        ):
            rows = await connection.fetch(f"EXPLAIN (ANALYZE, BUFFERS) {query}", *values)
            out["explain"][name] = [r[0] for r in rows]
        for concurrency in (1, c):
            say(f"  SQL plain_league x{plan.plain_requests} concurrency {concurrency}")
            sql[f"plain_league@{concurrency}"] = asdict(
                await sql_series(
                    dsn,
                    PLAIN_LEAGUE,
                    lambda _: (CAMPAIGN,),
                    plan.plain_requests,
                    concurrency,
                    warmup=1,
                )
            )
    finally:
        # Not part of the read models: gone before the projection has to maintain it.
        await connection.execute("DROP INDEX IF EXISTS bench_ix_initiatives_campaign_unit")
        await connection.close()

    out["json"] = await json_costs(dsn)

    other = out["other_http"]
    admin = token_for("admin", load_auth_settings(), timedelta(hours=2))
    grassroots = next(u.code for u in units if u.level == "grassroots")
    for name, path, count, headers in (
        ("trend", f"/api/v1/trend/{CAMPAIGN}", plan.other_requests, None),
        ("fields", f"/api/v1/fields/{CAMPAIGN}", plan.other_requests, None),
        ("honour_board", f"/api/v1/honour-board/{CAMPAIGN}", plan.other_requests, None),
        (
            "summary_federation",
            f"/api/v1/summary/{CAMPAIGN}",
            plan.summary_requests,
            {"Authorization": f"Bearer {admin}"},
        ),
        (
            "summary_grassroots_unit",
            f"/api/v1/summary/{CAMPAIGN}?unit={grassroots}",
            plan.summary_requests,
            {"Authorization": f"Bearer {admin}"},
        ),
    ):
        if count <= 0:
            continue
        say(f"  HTTP {name} x{count}")
        other[name] = asdict(
            await http_series(
                base,
                path,
                count,
                1,
                headers,
                request_timeout=1800,
                warmup=0 if "summary" in name else 3,
            )
        )
    return out


# --- 4. projection --------------------------------------------------------------------------------


def submissions(units: Sequence[Unit], count: int, rng: random.Random) -> list[KafkaRecord]:
    """`initiative submitted` for existing grassroots unions and sections, in phase 2."""
    owners = [u.code for u in units if u.level in ("grassroots", "sub")]
    fields = list(FIELD_WEIGHTS)
    records = []
    for n in range(count):
        unit = rng.choice(owners)
        member = f"{unit}-M{rng.randrange(100):03d}"
        event = InitiativeSubmitted(
            initiative_id=uuid4(),
            campaign_code=CAMPAIGN,
            phase_code=PHASE,
            unit_code=unit,
            title=f"Sáng kiến đo tải số {n}",
            field=rng.choices(fields, weights=list(FIELD_WEIGHTS.values()))[0],
            authors=(InitiativeAuthor(member_id=member, full_name=member, share_percent=100),),
            expected_benefit_vnd=rng.randrange(1, 500) * 1_000_000,
            submitted_by=member,
            submitted_at=datetime(2022, 12, 1, 2, tzinfo=UTC) + timedelta(minutes=n % 40_000),
        )
        records.append(to_record(new_envelope(event, source="/thidua/bench", subject=unit)))
    return records


async def send(producer: AIOKafkaProducer, record: KafkaRecord) -> asyncio.Future[Any]:
    future: asyncio.Future[Any] = await producer.send(
        record.topic, value=record.value, key=record.key, headers=list(record.headers)
    )
    return future


@dataclass
class ProjectionPlan:
    rates: tuple[float, ...]
    steady_seconds: float
    burst: int


@dataclass
class Watch:
    samples: list[Sample] = field(default_factory=list)


@dataclass
class ApiProbe:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0


async def watch_metrics(base: str, origin: float, into: Watch, stop: asyncio.Event) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        while not stop.is_set():
            into.samples.append(await sample(client, origin))
            await asyncio.sleep(0.25)


async def watch_api(base: str, into: ApiProbe, stop: asyncio.Event) -> None:
    """A dashboard looked at while events arrive: the targets and the league, in turn, about
    ten times a second."""
    async with httpx.AsyncClient(base_url=base, timeout=120) as client:
        n = 0
        while not stop.is_set():
            started = time.perf_counter()
            response = await client.get(PROGRESS if n % 2 else LEAGUE_GRASSROOTS)
            into.errors += response.status_code != 200
            into.latencies.append(1000 * (time.perf_counter() - started))
            n += 1
            await asyncio.sleep(0.1)


async def wait_processed(watch: Watch, target: float, within: float) -> float | None:
    """The `at` of the first sample with at least `target` events processed."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        first = next((s for s in watch.samples if s.processed >= target), None)
        if first is not None:
            return first.at
        await asyncio.sleep(0.25)
    return None


def slope(points: Sequence[tuple[float, float]]) -> float:
    if len(points) < 2:
        return 0.0
    mean_x = statistics.fmean(p[0] for p in points)
    mean_y = statistics.fmean(p[1] for p in points)
    spread = sum((x - mean_x) ** 2 for x, _ in points)
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / spread if spread else 0.0


async def tally_total(dsn: str) -> int:
    connection = await asyncpg.connect(dsn)
    try:
        total = await connection.fetchval(
            "SELECT coalesce(sum(submitted), 0) FROM unit_tallies WHERE campaign_code = $1",
            CAMPAIGN,
        )
        return int(total)
    finally:
        await connection.close()


@dataclass
class Stream:
    """What the projection phase shares: the producer, the service, the samples."""

    producer: AIOKafkaProducer
    service: ServiceProcess
    pid: int
    origin: float
    watch: Watch

    def now(self) -> float:
        return time.monotonic() - self.origin

    def processed(self) -> float:
        return self.watch.samples[-1].processed


async def steady(
    stream: Stream, records: Sequence[KafkaRecord], rate: float, seconds: float
) -> dict[str, Any]:
    """`rate` events a second, spread evenly, for `seconds`; then wait until all applied."""
    say(f"  steady: {rate:g}/s for {seconds:g} s")
    before, count = stream.processed(), len(records)
    probe, stop = ApiProbe(), asyncio.Event()
    api_task = asyncio.create_task(watch_api(stream.service.url, probe, stop))
    cpu, machine = cpu_seconds(stream.pid), machine_cpu()
    start = stream.now()
    loop_start, sent, deliveries = time.monotonic(), 0, []
    while sent < count:
        due = min(count, int((time.monotonic() - loop_start) * rate) + 1)
        while sent < due:
            deliveries.append(await send(stream.producer, records[sent]))
            sent += 1
        await asyncio.sleep(0.01)
    await asyncio.gather(*deliveries)
    end = stream.now()
    stop.set()
    await api_task
    service_cpu = cpu_seconds(stream.pid) - cpu
    busy = machine_busy(machine)
    caught_up = await wait_processed(stream.watch, before + count, 900)

    window = [s for s in stream.watch.samples if start + 5 <= s.at <= end]
    half = (start + 5 + end) / 2
    first_half = [s.lag_seconds for s in window if s.at < half] or [0.0]
    second_half = [s.lag_seconds for s in window if s.at >= half] or [0.0]
    applied = (
        (window[-1].processed - window[0].processed) / (window[-1].at - window[0].at)
        if len(window) > 1
        else 0.0
    )
    # (a refresh stalls the consumer for a few seconds at a time: a 5 s margin)
    bounded = max(second_half) <= 1.5 * max(first_half) + 5.0
    p50, p95, p99 = percentiles(probe.latencies)
    return {
        "offered_per_second": rate,
        "seconds": seconds,
        "events": count,
        "applied_per_second": round(applied, 1),
        "lag_seconds_max": round(max((s.lag_seconds for s in window), default=0.0), 2),
        "lag_seconds_mean": round(
            statistics.fmean(s.lag_seconds for s in window) if window else 0.0, 2
        ),
        "lag_seconds_max_first_half": round(max(first_half), 2),
        "lag_seconds_max_second_half": round(max(second_half), 2),
        "lag_messages_max": max((s.lag_messages for s in window), default=0.0),
        "lag_messages_slope_per_second": round(slope([(s.at, s.lag_messages) for s in window]), 2),
        "caught_up_seconds_after_last_send": None
        if caught_up is None
        else round(caught_up - end, 2),
        "service_cpu_share_of_a_core": round(service_cpu / (end - start), 2),
        "machine_busy_share": busy,
        # Keeping up: the lag does not grow while the events come, and what is left when
        # they stop is applied within 5 s.
        "keeps_up": bounded and caught_up is not None and caught_up - end <= 5.0,
        "api_while_streaming": {
            "requests": len(probe.latencies),
            "errors": probe.errors,
            "p50_ms": round(p50, 1),
            "p95_ms": round(p95, 1),
            "p99_ms": round(p99, 1),
            "max_ms": round(max(probe.latencies, default=float("nan")), 1),
        },
    }


async def projection(
    bootstrap: str, dsn: str, service: ServiceProcess, units: Sequence[Unit], plan: ProjectionPlan
) -> dict[str, Any]:
    rng = random.Random(11)
    counts = [int(rate * plan.steady_seconds) for rate in plan.rates]
    say(f"  encoding {sum(counts)} + {plan.burst} events")
    batches = [submissions(units, count, rng) for count in counts]
    burst_records = submissions(units, plan.burst, rng)
    total = sum(counts) + plan.burst
    tallied_before = await tally_total(dsn)
    assert service.process is not None

    origin = time.monotonic()
    watch, stop_metrics = Watch(), asyncio.Event()
    async with httpx.AsyncClient(base_url=service.url, timeout=60) as client:
        watch.samples.append(await sample(client, origin))
    first = watch.samples[0]
    metrics_task = asyncio.create_task(watch_metrics(service.url, origin, watch, stop_metrics))
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap, enable_idempotence=True, acks="all", linger_ms=5
    )
    await producer.start()
    stream = Stream(producer, service, service.process.pid, origin, watch)
    try:
        phases = []
        for rate, records in zip(plan.rates, batches, strict=True):
            phases.append(await steady(stream, records, rate, plan.steady_seconds))
            await asyncio.sleep(2)

        say(f"  burst: {plan.burst} events")
        before = stream.processed()
        cpu, machine = cpu_seconds(stream.pid), machine_cpu()
        burst_start = stream.now()
        deliveries = [await send(producer, r) for r in burst_records]
        await asyncio.gather(*deliveries)
        burst_sent = stream.now()
        drained = await wait_processed(watch, before + plan.burst, 1800)
        cpu_burst = cpu_seconds(stream.pid) - cpu
        burst_busy = machine_busy(machine)
    finally:
        await producer.stop()
        stop_metrics.set()
        await metrics_task
    tallied_after = await tally_total(dsn)

    say("  raw aiokafka consume of the same records")
    raw = await raw_consume(bootstrap, [topics.INITIATIVES], total, commit=True)
    drain_seconds = None if drained is None else drained - burst_start
    burst_rate = plan.burst / drain_seconds if drain_seconds else 0.0
    last = watch.samples[-1]
    kept = [p["applied_per_second"] for p in phases if p["keeps_up"]]
    return {
        "steady": phases,
        "burst_events": plan.burst,
        "burst_produce_seconds": round(burst_sent - burst_start, 2),
        "burst_drain_seconds": None if drain_seconds is None else round(drain_seconds, 2),
        "burst_applied_per_second": round(burst_rate, 1),
        "burst_service_cpu_ms_per_event": round(1000 * cpu_burst / plan.burst, 2),
        "burst_machine_busy_share": burst_busy,
        "raw_consume_per_second": round(raw, 1),
        "ratio_burst_to_raw_consume": round(burst_rate / raw, 4) if raw else None,
        "refreshes_during_projection": last.refreshes - first.refreshes,
        "refresh_seconds_during_projection": round(last.refresh_seconds - first.refresh_seconds, 2),
        "events_applied": last.processed - first.processed,
        "tallies_added": tallied_after - tallied_before,
        "events_sent": total,
        "national_average_per_second": round(NATIONAL_RATE, 4),
        "headroom_kept_up_x": round(max(kept) / NATIONAL_RATE) if kept else None,
        "headroom_burst_x": round(burst_rate / NATIONAL_RATE),
        "samples": [asdict(s) for s in watch.samples],
    }


# --- the run --------------------------------------------------------------------------------------


def asyncpg_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def main(arguments: argparse.Namespace) -> dict[str, Any]:
    plan = load_campaign(ROOT / "campaigns" / f"{CAMPAIGN}.yaml")
    result: dict[str, Any] = {
        "units": arguments.units,
        "initiatives": arguments.initiatives,
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "loadavg_start": [round(x, 2) for x in os.getloadavg()],
        },
    }
    with (
        kafka_bootstrap() as bootstrap,
        postgres_admin_url() as admin,
        tempfile.TemporaryDirectory() as logs,
    ):
        databases = DatabaseFactory(admin)
        url = await databases.create("scale")
        dsn = asyncpg_dsn(url)
        service = ServiceProcess(
            "reporting",
            url,
            bootstrap,
            Path(logs),
            extra_env={
                "LAG_POLL_INTERVAL_SECONDS": "1",
                "KAFKA_GROUP_ID": f"reporting-scale-{uuid4().hex[:6]}",
            },
        )
        try:
            await asyncio.to_thread(service.migrate)
            say(f"loading {arguments.units} units, {arguments.initiatives} initiatives (COPY)")
            load, units = await load_year(dsn, plan, arguments.units, arguments.initiatives)
            result["load"] = asdict(load)
            result["postgres"] = await server_settings(dsn)
            say(f"loaded in {load.seconds['total']:.1f} s; starting reporting")
            started = time.monotonic()
            await asyncio.to_thread(service.start, 600.0)
            result["ready_seconds"] = round(time.monotonic() - started, 2)
            result["refresh"] = await first_refresh(dsn, service.url, len(plan.phases), started)
            say(f"first refresh: {result['refresh']['refresh_state_seconds']}")
            say("latency")
            result["latency"] = await latency(
                dsn,
                service,
                units,
                LatencyPlan(
                    arguments.requests,
                    arguments.concurrency,
                    arguments.plain_requests,
                    arguments.other_requests,
                    arguments.summary_requests,
                ),
            )
            say("projection")
            result["projection"] = await projection(
                bootstrap,
                dsn,
                service,
                units,
                ProjectionPlan(
                    tuple(float(r) for r in arguments.rates.split(",")),
                    arguments.steady_seconds,
                    arguments.burst,
                ),
            )
            result["machine"]["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
            assert service.process is not None
            result["service_peak_rss_mb"] = round(peak_rss_mb(service.process.pid), 1)
        except BaseException:
            print(service.log_tail(60))
            raise
        finally:
            await asyncio.to_thread(service.stop)
            await databases.drop_all()
    return result


async def server_settings(dsn: str) -> dict[str, str]:
    connection = await asyncpg.connect(dsn)
    try:
        names = ("server_version", "shared_buffers", "work_mem", "jit", "synchronous_commit")
        return {name: await connection.fetchval(f"SHOW {name}") for name in names}
    finally:
        await connection.close()


# --- the report -----------------------------------------------------------------------------------


def report(r: dict[str, Any]) -> None:
    load, refresh, lat, proj = r["load"], r["refresh"], r["latency"], r["projection"]
    rows = load["rows"]
    http, sql = lat["http"], lat["sql"]
    c = next(int(k.split("@")[1]) for k in http if not k.endswith("@1"))
    pg = r["postgres"]
    print()
    print(
        f"reporting at scale: {rows['units']} units, {rows['initiatives']} initiatives "
        f"({load['withdrawn']} withdrawn, {load['recognised']} recognised, "
        f"{load['not_recognised']} not), {rows['registrations']} registrations, "
        f"{rows['reports']} reports, {rows['complaints']} complaint cases "
        f"({load['overdue_complaints']} overdue), {rows['awards']} awards"
    )
    print(
        f"{r['machine']['cpus']} cores shared by Kafka, PostgreSQL, reporting, this process "
        f"(the load generator) and whatever else runs (load average at start "
        f"{r['machine']['loadavg_start']}, at end {r['machine']['loadavg_end']})"
    )
    print(
        f"PostgreSQL {pg['server_version'].split()[0]} (shared_buffers {pg['shared_buffers']}, "
        f"work_mem {pg['work_mem']}, jit {pg['jit']}, synchronous_commit "
        f"{pg['synchronous_commit']}); MB on disk: {load['sizes_mb']}"
    )
    steps = ", ".join(f"{k} {v}" for k, v in load["seconds"].items() if k != "total")
    print(f"\n1. load (COPY; tallies by INSERT…SELECT): {load['seconds']['total']:.1f} s ({steps})")
    print(
        f"\n2. first refresh (cold): refresh_state.seconds {refresh['refresh_state_seconds']}; "
        f"reporting_progress_refresh_seconds sum {refresh['metrics_refresh_seconds_sum']} s "
        f"over {refresh['metrics_refreshes']:.0f}; service start to every phase refreshed "
        f"{refresh['start_to_all_phases_refreshed_seconds']} s; "
        f"{refresh['standings_rows']} standings rows"
    )
    print(f"\n3. latency in ms (target: p95 < {TARGET_P95_MS:.0f} ms)")
    print(
        f"   {'':42}{'conc':>5}{'p50':>8}{'p95':>8}{'p99':>8}{'max':>8}{'req/s':>8}"
        f"{'err':>4}{'svc CPU':>9}{'busy':>6}"
    )

    def line(label: str, s: dict[str, Any]) -> None:
        cpu = f"{s['service_cpu_ms']:>9.2f}" if "service_cpu_ms" in s else f"{'':>9}"
        busy = f"{s['machine_busy_share']:>6.2f}" if "machine_busy_share" in s else ""
        print(
            f"   {label:42}{s['concurrency']:>5}{s['p50_ms']:>8.2f}{s['p95_ms']:>8.2f}"
            f"{s['p99_ms']:>8.2f}{s['max_ms']:>8.1f}{s['per_second']:>8.1f}{s['errors']:>4}"
            f"{cpu}{busy}"
        )

    rows = [
        ("HTTP /health (HTTP floor)", http, "health"),
        ("HTTP progress/2022/dot-2", http, "progress"),
        ("HTTP league grassroots, limit 20", http, "league_grassroots"),
        ("HTTP league affiliated, limit 20", http, "league_affiliated"),
        ("SQL units by code (DB floor)", sql, "point_units_pk"),
        ("SQL plain league from initiatives", sql, "plain_league"),
        ("SQL the API's: campaign definition", sql, "api_sql_campaign"),
        ("SQL the API's: target_progress rows", sql, "api_sql_targets"),
        ("SQL the API's: standings count", sql, "api_sql_league_count_grassroots"),
        ("SQL the API's: standings top 20", sql, "api_sql_league_rows_grassroots"),
    ]
    for label, table, key in rows:
        for concurrency in (1, c):
            if f"{key}@{concurrency}" in table:
                line(label, table[f"{key}@{concurrency}"])
    j = lat["json"]
    print(
        "   (svc CPU: the service's CPU ms per request; busy: share of the machine's CPUs busy "
        "meanwhile)"
    )
    print(
        f"   decoded by every progress/league request, timed in this process: the campaign "
        f"definition ({j['campaign_definition_kb']} KB) json {j['campaign_json_decode_ms']} ms "
        f"+ Campaign.model_validate {j['campaign_validate_ms']} ms; the target rows' lagging "
        f"lists ({j['target_rows_lagging_units']} units, {j['target_rows_lagging_kb']} KB) "
        f"json {j['target_rows_json_decode_ms']} ms"
    )
    print(f"   p95 ratios, sequential / concurrency {c}:")
    for api in ("progress", "league_grassroots", "league_affiliated"):
        parts = []
        for label, table, key in (
            ("DB floor", sql, "point_units_pk"),
            ("plain league", sql, "plain_league"),
            ("/health", http, "health"),
        ):
            pair = [http[f"{api}@{k}"]["p95_ms"] / table[f"{key}@{k}"]["p95_ms"] for k in (1, c)]
            parts.append(f"/ {label} {pair[0]:.2f} / {pair[1]:.2f}")
        verdict = all(http[f"{api}@{k}"]["p95_ms"] < TARGET_P95_MS for k in (1, c))
        print(
            f"   {api:18} " + "; ".join(parts) + f"  -> p95 < {TARGET_P95_MS:.0f} ms: "
            f"{'yes' if verdict else 'NO'}"
        )
    print("   other endpoints (reported, not judged):")
    for name, s in lat["other_http"].items():
        line(name, s)
    print(f"   (the plain query's index took {lat['plain_index_build_seconds']} s to build)")
    plain_plan = lat["explain"].get("plain_league", [])
    if plain_plan:
        print("   EXPLAIN ANALYZE plain league: " + " | ".join(p.strip() for p in plain_plan[-2:]))
    print("\n4. projection of `initiative submitted` (lag polled every 1 s)")
    for phase in proj["steady"]:
        a = phase["api_while_streaming"]
        print(
            f"   steady {phase['offered_per_second']:g}/s for {phase['seconds']:g} s: applied "
            f"{phase['applied_per_second']:g}/s; lag max {phase['lag_seconds_max']} s (halves "
            f"{phase['lag_seconds_max_first_half']} -> {phase['lag_seconds_max_second_half']}), "
            f"mean {phase['lag_seconds_mean']} s, {phase['lag_messages_max']:.0f} messages max, "
            f"slope {phase['lag_messages_slope_per_second']} msg/s; caught up "
            f"{phase['caught_up_seconds_after_last_send']} s after the last send; service "
            f"{phase['service_cpu_share_of_a_core']} of a core, machine "
            f"{phase['machine_busy_share']} busy -> keeps up: "
            f"{'yes' if phase['keeps_up'] else 'NO'}"
        )
        print(
            f"     API meanwhile ({a['requests']} requests, progress and league in turn): "
            f"p50 {a['p50_ms']} p95 {a['p95_ms']} p99 {a['p99_ms']} max {a['max_ms']} ms, "
            f"{a['errors']} errors"
        )
    print(
        f"   burst of {proj['burst_events']}: produced in {proj['burst_produce_seconds']} s, "
        f"applied in {proj['burst_drain_seconds']} s -> {proj['burst_applied_per_second']:.0f} "
        f"events/s; service CPU {proj['burst_service_cpu_ms_per_event']} ms/event; machine "
        f"{proj['burst_machine_busy_share']} busy"
    )
    print(
        f"   raw aiokafka consume of the same records (baseline): "
        f"{proj['raw_consume_per_second']:.0f} events/s; burst / raw "
        f"{proj['ratio_burst_to_raw_consume']}"
    )
    print(
        f"   refreshes while streaming: {proj['refreshes_during_projection']:.0f}, taking "
        f"{proj['refresh_seconds_during_projection']} s in all; events applied "
        f"{proj['events_applied']:.0f} and tallies moved by {proj['tallies_added']} "
        f"(sent {proj['events_sent']})"
    )
    print(
        f"   a national year averages {proj['national_average_per_second']} submissions/s: "
        f"headroom x{proj['headroom_kept_up_x']} (highest steady rate kept up with) and "
        f"x{proj['headroom_burst_x']} (burst)"
    )
    print(f"   service peak RSS {r['service_peak_rss_mb']} MB")


def parse(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run: 1000 units, 50000")
    parser.add_argument("--units", type=int)
    parser.add_argument("--initiatives", type=int)
    parser.add_argument("--requests", type=int, help="per endpoint and concurrency (500)")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--plain-requests", type=int, help="of the plain league query (100)")
    parser.add_argument("--other-requests", type=int, help="trend, fields, honour board (100)")
    parser.add_argument("--summary-requests", type=int, default=2)
    parser.add_argument(
        "--rates",
        default="0.2,50,200",
        help="events/s of each steady phase, in turn (0.2,50,200; 0.2/s is a working day's "
        "pace: a national year is ~1M submissions in ~2,000 office hours, 0.14/s)",
    )
    parser.add_argument("--steady-seconds", type=float)
    parser.add_argument("--burst", type=int)
    arguments = parser.parse_args(argv)
    quick = arguments.quick
    defaults = {
        "units": 1_000 if quick else 10_000,
        "initiatives": 50_000 if quick else 1_000_000,
        "requests": 200 if quick else 500,
        "plain_requests": 50 if quick else 100,
        "other_requests": 30 if quick else 100,
        "steady_seconds": 20.0 if quick else 60.0,
        "burst": 2_000 if quick else 10_000,
    }
    for name, value in defaults.items():
        if getattr(arguments, name) is None:
            setattr(arguments, name, value)
    return arguments


if __name__ == "__main__":
    arguments = parse()
    result = asyncio.run(main(arguments))
    report(result)
    RESULTS.mkdir(exist_ok=True)
    result["at"] = datetime.now(UTC).isoformat(timespec="seconds")
    (RESULTS / "reporting_scale.json").write_text(json.dumps(result, indent=2, default=str))
