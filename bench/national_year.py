"""A national year through the three consumers, against raw aiokafka reading the same records.

    python -m bench.national_year [--initiatives 1000000] [--units 10000] [--budget 3600]
                                  [--replicas 1,2] [--query-seconds 60] [--query-rate 2000]

In one run, on one broker (the declared topics and partitions) and one PostgreSQL server:
  1. a national year (bench/national_year_data.py, from a seed): the 2022 plan published,
     the union tree, registrations and reports, and `--initiatives` initiatives submitted
     with their councils, scores, decisions, returns, amendments and withdrawals in the demo
     year's proportions, produced to the topics BEFORE any consumer starts;
  2. for each replica count (1, then 2): raw aiokafka reads every record (a new group,
     committing after each poll, as the services do after each batch: the baseline of that
     phase); then scoring, notifications and reporting start at once, `replicas` processes
     each, on fresh databases and fresh consumer groups, and the bench watches each group's
     committed offsets (bench/national_year_run.py) until it has committed every record of
     its topics (offsets are committed after the batch's transaction: applied), or until
     `--budget` seconds (then the rate so far is reported, and the time all would take);
  3. report queries: a reporting process on the last phase's read models (a new group,
     starting at the topics' end) and an API replica of it (`REPORTING_ROLE=api`, the same
     database, consuming nothing), while `--clients` clients ask for the targets, the league
     tables and the trend: first idle, asking the consuming process (the baseline); then
     while `--query-rate` new submissions a second are produced for `--query-seconds`,
     asking the consuming process; then as long again, with as many new submissions,
     asking the API replica (always second: on a database larger by the first share).
Figures are ratios to the baselines of the same run: the two cores are shared by Kafka,
PostgreSQL, the services, this process and whatever else runs. Writes
bench/results/national_year-<time>.json and .md.
"""

import argparse
import asyncio
import os
import platform
import random
import statistics
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from uuid import uuid4

import asyncpg
import httpx
from aiokafka import AIOKafkaProducer

from bench import results
from bench.national_year_data import (
    CAMPAIGN,
    Produced,
    extra_submissions,
    produce_year_in_parallel,
)
from bench.national_year_run import (
    CONSUMERS,
    Phase,
    applied_counts,
    committed_total,
    prepare,
    run_phase,
    say,
    stop,
)
from bench.raw_kafka import raw_consume
from bench.reporting_scale_data import load_year
from bench.results import RESULTS, save
from shared.campaign.loader import load_campaign
from shared.contracts import topics
from shared.messaging.lag import GroupOffsets
from tests.support.databases import DatabaseFactory
from tests.support.infrastructure import kafka_bootstrap, postgres_admin_url
from tests.support.services import ServiceProcess

ROOT = Path(__file__).resolve().parents[1]
PLAN = ROOT / "campaigns" / f"{CAMPAIGN}.yaml"
RATIO_FLOOR, RATIO_AIM = 0.25, 0.5
WALL_TARGET_SECONDS = 600.0
RSS_TARGET_MB = 500.0
P95_TARGET_MS = 50.0
ENDPOINTS = {
    "progress": f"/api/v1/progress/{CAMPAIGN}/dot-2",
    "league_grassroots": f"/api/v1/league/{CAMPAIGN}/dot-2?level=grassroots&limit=20",
    "league_affiliated": f"/api/v1/league/{CAMPAIGN}/dot-2?level=affiliated&limit=20",
    "trend": f"/api/v1/trend/{CAMPAIGN}",
}


def percentile(values: Sequence[float], q: int) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


# --- 3. report queries while the projection ingests -----------------------------------------------


async def clients_loop(base: str, clients: int, stop_at: asyncio.Event) -> dict[str, list[float]]:
    """`clients` clients, each with its own connection, asking the endpoints in turn."""
    latencies: dict[str, list[float]] = {name: [] for name in ENDPOINTS}
    errors: list[str] = []

    async def client(k: int) -> None:
        async with httpx.AsyncClient(base_url=base, timeout=120) as http:
            n = k
            while not stop_at.is_set():
                name = list(ENDPOINTS)[n % len(ENDPOINTS)]
                started = time.perf_counter()
                response = await http.get(ENDPOINTS[name])
                if response.status_code != 200:
                    errors.append(f"{name}: {response.status_code} {response.text[:200]}")
                latencies[name].append(1000 * (time.perf_counter() - started))
                n += 1

    await asyncio.gather(*(client(k) for k in range(clients)))
    if errors:
        latencies["errors"] = [float(len(errors))]
        say(f"  {len(errors)} errors, first: {errors[0]}")
    return latencies


def latency_table(latencies: dict[str, list[float]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    every: list[float] = []
    for name, values in latencies.items():
        if name == "errors":
            out["errors"] = int(values[0])
            continue
        every += values
        out[name] = {
            "requests": len(values),
            "p50_ms": round(percentile(values, 50), 1),
            "p95_ms": round(percentile(values, 95), 1),
            "max_ms": round(max(values, default=float("nan")), 1),
        }
    out["all"] = {
        "requests": len(every),
        "p50_ms": round(percentile(every, 50), 1),
        "p95_ms": round(percentile(every, 95), 1),
        "max_ms": round(max(every, default=float("nan")), 1),
    }
    return out


async def read_models(
    bootstrap: str,
    databases: DatabaseFactory,
    phase: Phase | None,
    arguments: argparse.Namespace,
    logs: Path,
) -> tuple[str, list[str], dict[str, Any]]:
    """Reporting's read models of the whole year, and the units to submit for: the last
    phase's, when its reporting applied everything; else the same size of year COPYed in as
    the projection leaves it (bench/reporting_scale_data.py, as bench.reporting_scale does)."""
    if phase is not None and phase.consumers["reporting"].done_at is not None:
        return phase.urls["reporting"], [], {"source": "the last phase's projection"}
    url = await databases.create("ny_queries")
    folder = logs / "queries-migrate"
    folder.mkdir(exist_ok=True)
    await asyncio.to_thread(ServiceProcess("reporting", url, bootstrap, folder).migrate)
    plan = load_campaign(ROOT / "campaigns" / f"{CAMPAIGN}.yaml")
    say(f"  COPYing a year of {arguments.initiatives} initiatives into reporting's read models")
    dsn = url.replace("postgresql+asyncpg://", "postgresql://")
    loaded, units = await load_year(dsn, plan, arguments.units, arguments.initiatives)
    owners = [u.code for u in units if u.level in ("grassroots", "sub")]
    return (
        url,
        owners,
        {
            "source": "COPY (bench/reporting_scale_data.py): the phases did not finish",
            "load_seconds": loaded.seconds.get("total"),
            "initiatives": loaded.rows["initiatives"],
            "units": loaded.rows["units"],
        },
    )


async def queries(
    bootstrap: str, url: str, owners: list[str], arguments: argparse.Namespace, logs: Path
) -> dict[str, Any]:
    """Reporting applying what is produced to it, and 4 clients asking: first idle, then
    while it ingests, asking the process that applies the events, then asking an API replica
    of it (`REPORTING_ROLE=api`, the same database) while the first applies the next share."""
    group = f"reporting-queries-{uuid4().hex[:6]}"
    env = {
        "KAFKA_GROUP_ID": group,
        "KAFKA_AUTO_OFFSET_RESET": "latest",
        "LAG_POLL_INTERVAL_SECONDS": "10",
    }
    processes = []
    for name, role in (("queries", "all"), ("queries-api", "api")):
        folder = logs / name
        folder.mkdir(exist_ok=True)
        processes.append(
            ServiceProcess("reporting", url, bootstrap, folder, extra_env={**env, "ROLE": role})
        )
    service, replica = processes
    offsets = GroupOffsets(bootstrap, f"bench-watch-{uuid4().hex[:6]}")
    await offsets.start()
    rate, seconds = arguments.query_rate, arguments.query_seconds
    share = int(rate * seconds)
    say(f"  encoding {2 * share} submissions")
    records = list(
        extra_submissions(arguments.initiatives, arguments.units, arguments.seed, 2 * share, owners)
    )
    try:
        await asyncio.gather(*(asyncio.to_thread(p.start, 600.0) for p in processes))
        # Its first refresh of the targets and the league (cold, over the whole year) holds
        # the first requests for as long as it takes: measured, then out of the series.
        say("  waiting for reporting's first refresh of every phase")
        first_refresh = await refreshed(url, len(load_campaign(PLAN).phases))
        say(f"  refreshed after {first_refresh:.0f} s")
        for process in processes:
            async with httpx.AsyncClient(base_url=process.url, timeout=600) as warm:
                for path in ENDPOINTS.values():
                    await warm.get(path)
        # A new group at the topics' end: it must hold its partitions before anything is sent.
        while not await offsets.active_members(group):  # noqa: ASYNC110
            await asyncio.sleep(0.5)
        await asyncio.sleep(5)
        say(f"  idle: {arguments.clients} clients for {arguments.idle_seconds:g} s")
        stop_at = asyncio.Event()
        task = asyncio.create_task(clients_loop(service.url, arguments.clients, stop_at))
        await asyncio.sleep(arguments.idle_seconds)
        stop_at.set()
        idle = latency_table(await task)
        series = {}
        for key, asked, part in (
            ("ingesting", service, records[:share]),
            ("ingesting_api_replica", replica, records[share:]),
        ):
            say(
                f"  ingesting {rate:g}/s for {seconds:g} s with {arguments.clients} clients "
                f"asking {'an API replica' if asked is replica else 'the consuming process'}"
            )
            series[key] = await ingest(bootstrap, offsets, group, asked.url, part, arguments)
        return {
            "first_refresh_seconds_after_ready": round(first_refresh, 1),
            "clients": arguments.clients,
            "endpoints": ENDPOINTS,
            "idle": idle,
            **series,
        }
    except BaseException:
        for process in processes:
            print(process.log_tail(60), flush=True)
        raise
    finally:
        await offsets.close()
        await asyncio.gather(*(asyncio.to_thread(p.stop) for p in processes))


async def ingest(
    bootstrap: str,
    offsets: GroupOffsets,
    group: str,
    asked: str,
    records: list[Any],
    arguments: argparse.Namespace,
) -> dict[str, Any]:
    """`records` produced at `--query-rate` while the clients ask `asked`; their latencies,
    and how far behind the projection was when sending stopped."""
    rate, seconds = arguments.query_rate, arguments.query_seconds
    partitions = await offsets.partitions([topics.INITIATIVES])
    before = await offsets.end_offsets(partitions)
    stop_at = asyncio.Event()
    task = asyncio.create_task(clients_loop(asked, arguments.clients, stop_at))
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap, enable_idempotence=True, acks="all", linger_ms=5
    )
    await producer.start()
    started, sent, deliveries = time.monotonic(), 0, []
    try:
        while sent < len(records):
            due = min(len(records), int((time.monotonic() - started) * rate) + 1)
            while sent < due:
                topic, key, value, headers = records[sent]
                deliveries.append(await producer.send(topic, value=value, key=key, headers=headers))
                sent += 1
            await asyncio.sleep(0.01)
        await asyncio.gather(*deliveries)
    finally:
        await producer.stop()
    offered = len(records) / (time.monotonic() - started)
    say(f"  sent {len(records)} at {offered:.0f}/s; waiting for the clients' last requests")
    stop_at.set()
    latencies = latency_table(await task)
    say("  waiting (60 s at most) for the projection to catch up")
    ends = await offsets.end_offsets(partitions)
    lag_at_end = sum(ends.values()) - (await committed_total(offsets, group, ends))[0]
    caught_up = None
    deadline = time.monotonic() + 60  # behind by then, it was not keeping up: no wait
    while time.monotonic() < deadline:
        _, done = await committed_total(offsets, group, ends)
        if done:
            caught_up = round(time.monotonic() - started - seconds, 1)
            break
        await asyncio.sleep(0.5)
    return {
        **latencies,
        "offered_per_second": round(offered, 1),
        "records_sent": len(records),
        "records_on_topic": sum(ends.values()) - sum(before.values()),
        "lag_records_when_sending_stopped": lag_at_end,
        "caught_up_seconds_after_sending": caught_up,
    }


# --- the run --------------------------------------------------------------------------------------


async def main(arguments: argparse.Namespace) -> dict[str, Any]:
    result: dict[str, Any] = {
        "initiatives": arguments.initiatives,
        "units": arguments.units,
        "seed": arguments.seed,
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "loadavg_start": [round(x, 2) for x in os.getloadavg()],
        },
        "phases": [],
    }
    with (
        kafka_bootstrap() as bootstrap,
        postgres_admin_url() as admin,
        tempfile.TemporaryDirectory(prefix="national-year-") as folder,
    ):
        logs = Path(folder)
        databases = DatabaseFactory(admin)
        try:
            produced = await produce(bootstrap, arguments) if arguments.replicas else None
            result["produced"] = None if produced is None else described(produced)
            phase = None
            raw, raw_cpu_ms = 0.0, 0.0
            for replicas in arguments.replicas:
                assert produced is not None
                counts = produced.counts
                every_topic = sorted(t for t, n in counts.by_topic.items() if n)
                if not raw or arguments.raw == "each":
                    say(f"raw aiokafka consume of the {produced.records} records")
                    cpu = time.process_time()
                    raw = await raw_consume(bootstrap, every_topic, produced.records, commit=True)
                    raw_cpu_ms = 1000 * (time.process_time() - cpu) / produced.records
                    say(f"  {raw:.0f} records/s, {raw_cpu_ms:.3f} ms of CPU a record")
                if phase is not None:
                    await databases_drop(phase)
                say(f"{replicas} replica(s) per consumer")
                phase = await prepare(bootstrap, databases, counts, replicas, logs)
                try:
                    ran = await run_phase(
                        bootstrap,
                        phase,
                        arguments.budget,
                        arguments.profile_seconds,
                        RESULTS,
                    )
                finally:
                    await stop([p for c in phase.consumers.values() for p in c.processes])
                ran["raw_records_per_second"] = round(raw, 1)
                ran["raw_cpu_ms_per_record"] = round(raw_cpu_ms, 4)
                for entry in ran["consumers"].values():
                    entry["ratio_to_raw"] = round(entry["records_per_second"] / raw, 4)
                    # What the rate would be if CPU were all that limited both (the service
                    # process's own CPU only: PostgreSQL's work for it is not counted).
                    cpu_ms = entry["cpu_ms_per_record"]
                    entry["cpu_ratio_to_raw"] = round(raw_cpu_ms / cpu_ms, 4) if cpu_ms else None
                ran["processed_events"] = await applied_counts(phase)
                result["phases"].append(ran)
                write(result, arguments.stamp)  # a long run keeps what it measured so far
            if arguments.query_seconds > 0:
                say("report queries while the projection ingests")
                url, owners, source = await read_models(
                    bootstrap, databases, phase, arguments, logs
                )
                result["queries"] = {
                    "read_models": source,
                    **await queries(bootstrap, url, owners, arguments, logs),
                }
            result["machine"]["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
        except BaseException:
            print(log_tails(logs), flush=True)
            raise
        finally:
            await databases.drop_all()
    return result


async def refreshed(url: str, phases: int, within: float = 1800) -> float:
    """Seconds until reporting's refresh_state holds a row for each of the campaign's
    `phases` (its refresher's first pass over the read models)."""
    started = time.monotonic()
    connection = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        while time.monotonic() - started < within:
            rows = await connection.fetchval(
                "SELECT count(*) FROM refresh_state WHERE campaign_code = $1", CAMPAIGN
            )
            if rows >= phases:
                break
            await asyncio.sleep(0.5)
    finally:
        await connection.close()
    return time.monotonic() - started


def log_tails(logs: Path) -> str:
    """The last lines of every service's log (on a failure)."""
    return "\n".join(
        f"--- {log}\n" + "\n".join(log.read_text(errors="replace").splitlines()[-15:])
        for log in sorted(logs.rglob("*.log"))
    )


async def produce(bootstrap: str, arguments: argparse.Namespace) -> Produced:
    say(
        f"producing a year of {arguments.initiatives} initiatives, {arguments.units} "
        f"units ({arguments.producers} producer processes)"
    )
    produced = await produce_year_in_parallel(
        bootstrap, arguments.initiatives, arguments.units, arguments.seed, arguments.producers
    )
    say(f"produced {produced.records} records in {produced.seconds:.0f} s")
    return produced


def described(produced: Produced) -> dict[str, Any]:
    return {
        "records": produced.records,
        "seconds": round(produced.seconds, 1),
        "per_second": round(produced.records / produced.seconds, 1),
        "by_type": dict(produced.counts.by_type.most_common()),
        "by_topic": dict(produced.counts.by_topic.most_common()),
    }


async def databases_drop(phase: Phase) -> None:
    """The previous phase's databases go before the next is made (disk: a million each)."""
    await phase.databases.drop_all()


# --- the report -----------------------------------------------------------------------------------


def verdicts(phase: dict[str, Any]) -> list[str]:
    lines = []
    for name in CONSUMERS:
        c = phase["consumers"][name]
        ratio = c["ratio_to_raw"]
        rss = max(c["peak_rss_mb_per_process"])
        lines.append(
            f"{name}: ratio {ratio:.3f} ({'meets' if ratio >= RATIO_FLOOR else 'MISSES'} "
            f"{RATIO_FLOOR}x, {'meets' if ratio >= RATIO_AIM else 'short of'} the aim "
            f"{RATIO_AIM}x); peak RSS {rss:.0f} MB "
            f"({'under' if rss < RSS_TARGET_MB else 'OVER'} {RSS_TARGET_MB:.0f} MB)"
        )
    wall = phase["wall_seconds_all_three"]
    if wall is None:
        projected = max(
            c["projected_seconds_for_all"] or float("inf") for c in phase["consumers"].values()
        )
        lines.append(
            f"all three: not done within the budget ({phase['budget_seconds']:.0f} s); "
            f"at the rates reached, {projected:.0f} s (target {WALL_TARGET_SECONDS:.0f} s: "
            f"{'meets' if projected < WALL_TARGET_SECONDS else 'MISSES'})"
        )
    else:
        lines.append(
            f"all three: {wall:.0f} s (target {WALL_TARGET_SECONDS:.0f} s: "
            f"{'meets' if wall < WALL_TARGET_SECONDS else 'MISSES'})"
        )
    return lines


def markdown(r: dict[str, Any]) -> str:
    p = r["produced"]
    out = [
        f"# National year: {r['initiatives']:,} initiatives, {r['units']:,} units "
        f"(seed {r['seed']})",
        "",
        f"{r['machine']['cpus']} cores shared by Kafka, PostgreSQL, the services, the bench and "
        f"whatever else runs; load average {r['machine']['loadavg_start']} at the start, "
        f"{r['machine'].get('loadavg_end')} at the end.",
        "",
    ]
    if p:
        out += [
            f"Produced before any consumer started: {p['records']:,} records in {p['seconds']} "
            f"s ({p['per_second']:,.0f}/s). By type: "
            + ", ".join(f"{k} {v:,}" for k, v in p["by_type"].items()),
            "",
        ]
    for phase in r["phases"]:
        out += [
            f"## {phase['replicas']} replica(s) per consumer",
            "",
            f"Raw aiokafka (one consumer, every topic, committing each poll): "
            f"{phase['raw_records_per_second']:,.0f} records/s, "
            f"{phase.get('raw_cpu_ms_per_record')} ms of CPU a record. The three consumers run at "
            f"once (all ready {phase['ready_seconds']} s after launch); seconds from launch, "
            "records/s from the moment the consumer's processes were ready; CPU: the service "
            "processes' own (PostgreSQL's work for them not counted), the CPU ratio is raw's "
            "CPU per record over theirs.",
            "",
            "| consumer | records on its topics | done | seconds | records/s | ratio to raw "
            "| projected s for all | peak RSS MB per process | CPU ms/record | CPU ratio to raw "
            "| events applied (expected) |",
            "|---|---|---|---|---|---|---|---|---|---|---|",
        ]
        for name in CONSUMERS:
            c = phase["consumers"][name]
            out.append(
                f"| {name} | {c['records']:,} | {'yes' if c['done'] else 'no'} | {c['seconds']} "
                f"| {c['records_per_second']:,.0f} | {c['ratio_to_raw']:.3f} "
                f"| {c['projected_seconds_for_all']} | {c['peak_rss_mb_per_process']} "
                f"| {c['cpu_ms_per_record']} | {c.get('cpu_ratio_to_raw')} "
                f"| {phase['processed_events'][name]:,} "
                f"({c['subscribed_events']:,}) |"
            )
        out += ["", *[f"- {line}" for line in verdicts(phase)], ""]
        for name in CONSUMERS:
            profile = phase["consumers"][name].get("profile")
            if not profile or "error" in profile:
                continue
            out += [
                f"{name}, py-spy ({profile['samples']} samples of its busy threads): own time "
                + "; ".join(f"{f} {100 * v:.1f}%" for f, v in profile["own"][:10]),
                "",
                "  inclusive: "
                + "; ".join(f"{f} {100 * v:.1f}%" for f, v in profile["inclusive"][:25]),
                "",
            ]
    q = r.get("queries")
    if q:
        out += [
            f"## Report queries, {q['clients']} clients",
            "",
            f"Read models: {q['read_models']}; reporting's first refresh of them took "
            f"{q.get('first_refresh_seconds_after_ready')} s after it was ready (waited for, "
            "then one warm-up request per endpoint, before the idle series).",
            "",
        ]
        series = [("ingesting", "asking the consuming process")]
        if "ingesting_api_replica" in q:
            series.append(("ingesting_api_replica", "asking an API replica"))
        for key, asked in series:
            g = q[key]
            out.append(
                f"- Ingesting, {asked}: offered {g['offered_per_second']:,.0f} submissions/s "
                f"({g['records_sent']:,}); lag when sending stopped "
                f"{g['lag_records_when_sending_stopped']:,} records; caught up "
                f"{g['caught_up_seconds_after_sending']} s after."
            )
        out += [
            "",
            "| endpoint | idle p50 | idle p95 | "
            + " | ".join(f"{k} p50 | {k} p95 | p95 < 50 ms" for k, _ in series)
            + " |",
            "|---|---|---|" + "---|---|---|" * len(series),
        ]
        for name in [*ENDPOINTS, "all"]:
            i = q["idle"][name]
            cells = [f"{i['p50_ms']} | {i['p95_ms']}"]
            for key, _ in series:
                g = q[key][name]
                met = "yes" if g["p95_ms"] < P95_TARGET_MS else "NO"
                cells.append(f"{g['p50_ms']} | {g['p95_ms']} ({g['requests']}) | {met}")
            out.append(f"| {name} | " + " | ".join(cells) + " |")
        out.append("")
    return "\n".join(out)


def write(result: dict[str, Any], stamp: str) -> None:
    path = save("national_year", result, at=stamp)
    if "machine" in result:
        path.with_suffix(".md").write_text(markdown(result))


def parse(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--initiatives", type=int, default=1_000_000)
    parser.add_argument("--units", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument(
        "--producers",
        type=int,
        default=2,
        help="processes generating and producing the year, each its share (2)",
    )
    parser.add_argument(
        "--budget",
        type=float,
        default=3600.0,
        help="seconds a consumer phase may take before it is stopped and its rate so far "
        "reported (3600)",
    )
    parser.add_argument(
        "--profile-seconds",
        type=float,
        default=0.0,
        help="py-spy each consumer's first process for this long in each phase (0: no)",
    )
    parser.add_argument(
        "--replicas",
        default="1,2",
        help="replica counts, in turn (1,2); 0: no consumer phase (the report queries alone)",
    )
    parser.add_argument(
        "--raw",
        choices=["each", "once"],
        default="each",
        help="the raw baseline before each phase, or once before the first (each)",
    )
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--query-rate", type=float, default=2000.0)
    parser.add_argument("--query-seconds", type=float, default=60.0, help="0: no query phase")
    parser.add_argument("--idle-seconds", type=float, default=15.0)
    arguments = parser.parse_args(argv)
    arguments.replicas = [int(n) for n in arguments.replicas.split(",") if int(n) > 0]
    arguments.stamp = results.stamp()
    return arguments


if __name__ == "__main__":
    arguments = parse()
    random.seed(arguments.seed)
    result = asyncio.run(main(arguments))
    write(result, arguments.stamp)
    print(markdown(result))
