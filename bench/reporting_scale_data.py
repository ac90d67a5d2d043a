"""A national-size year in reporting's read models, loaded with COPY (for bench.reporting_scale).

The rows are what the projection (services/reporting/handlers.py) would leave after applying a
year of events: a union tree with paths like the real ones ('CDDKVN/PVGAS/PVGAS-CS001/'), the
initiatives of both phases across fields and days (some recognised, some not, some withdrawn),
registrations, result reports with the figures the 2022 targets read, complaint cases (some
overdue), awards, the campaign as published, and one processed_events row per event applied.
The counters (unit_tallies, daily_tallies) are then filled in one INSERT … SELECT … GROUP BY
each: the same sums tallies.py keeps incrementally, one event at a time.

Deterministic (a seeded generator): two runs of the same sizes load the same year.
"""

import json
import random
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import asyncpg

from shared.campaign.model import Campaign, Phase, ShareOfUnits
from shared.contracts import topics
from shared.contracts.vocabulary import INITIATIVE_FIELDS as FIELDS

FEDERATION = "CDDKVN"
# Real affiliated unions first, then numbered ones.
AFFILIATED_NAMES = (
    "PVGAS",
    "BSR",
    "PVEP",
    "PVOIL",
    "PVPOWER",
    "PVDRILLING",
    "PTSC",
    "PVCFC",
    "DPM",
    "VSP",
    "PVTRANS",
    "PVCOMB",
    "PVI",
    "PVFCCO",
    "PVMR",
)
FIELD_WEIGHTS = {
    "technical": 40,
    "management": 20,
    "occupational_safety": 15,
    "environment": 8,
    "digital_transformation": 12,
    "other": 5,
}
CHUNK = 50_000  # rows per COPY
# The tables loaded with their indexes and keys detached (rebuilt after the COPY: much faster
# than maintaining a random-UUID B-tree row by row).
BIG_TABLES = ("initiatives", "processed_events")


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    parent_code: str | None
    level: str
    path: str


@dataclass
class LoadReport:
    rows: dict[str, int] = field(default_factory=dict)  # rows written, by table
    # Of the initiatives and complaints written: what the expected figures are counted from.
    withdrawn: int = 0
    recognised: int = 0
    not_recognised: int = 0
    overdue_complaints: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    sizes_mb: dict[str, float] = field(default_factory=dict)


def union_tree(units: int, rng: random.Random) -> list[Unit]:
    """The federation, ~1% affiliated unions, then 70% grassroots unions and 30% sections of
    them, unevenly spread (some affiliated unions are much bigger than others)."""
    tree = [Unit(FEDERATION, "Công đoàn Dầu khí Việt Nam", None, "federation", f"{FEDERATION}/")]
    affiliated_count = max(2, round(units / 100))
    affiliated = []
    for n in range(affiliated_count):
        code = AFFILIATED_NAMES[n] if n < len(AFFILIATED_NAMES) else f"TT{n:03d}"
        affiliated.append(
            Unit(code, f"Công đoàn {code}", FEDERATION, "affiliated", f"{FEDERATION}/{code}/")
        )
    tree.extend(affiliated)
    rest = max(0, units - len(tree))
    grassroots_count = round(rest * 0.7)
    weights = [1 + rng.paretovariate(1.5) for _ in affiliated]
    grassroots, numbering = [], dict.fromkeys((a.code for a in affiliated), 0)
    for parent in rng.choices(affiliated, weights, k=grassroots_count):
        numbering[parent.code] += 1
        code = f"{parent.code}-CS{numbering[parent.code]:03d}"
        grassroots.append(
            Unit(
                code, f"Công đoàn cơ sở {code}", parent.code, "grassroots", f"{parent.path}{code}/"
            )
        )
    tree.extend(grassroots)
    sections = dict.fromkeys((g.code for g in grassroots), 0)
    for parent in rng.choices(grassroots, k=rest - grassroots_count) if grassroots else []:
        sections[parent.code] += 1
        code = f"{parent.code}-BP{sections[parent.code]:02d}"
        tree.append(
            Unit(code, f"Công đoàn bộ phận {code}", parent.code, "sub", f"{parent.path}{code}/")
        )
    return tree


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


async def _copy(
    connection: asyncpg.Connection,
    report: LoadReport,
    table: str,
    columns: Sequence[str],
    rows: Iterator[tuple[Any, ...]],
) -> None:
    """COPY `rows` into `table`, CHUNK at a time (the rows are generated lazily), and count
    them in the report."""
    report.rows[table] = 0
    while True:
        chunk = [row for _, row in zip(range(CHUNK), rows, strict=False)]
        if not chunk:
            return
        await connection.copy_records_to_table(table, records=chunk, columns=list(columns))
        report.rows[table] += len(chunk)


async def _detach(connection: asyncpg.Connection, tables: Sequence[str]) -> list[str]:
    """Drop the indexes and primary keys of `tables`; return the statements that restore
    them exactly (as pg_get_indexdef / pg_get_constraintdef give them)."""
    restore: list[str] = []
    keys = await connection.fetch(
        "SELECT conrelid::regclass::text AS tbl, conname, pg_get_constraintdef(oid) AS def"
        " FROM pg_constraint WHERE conrelid::regclass::text = ANY($1::text[])",
        list(tables),
    )
    indexes = await connection.fetch(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = ANY($1::text[])"
        " AND i.indexname NOT IN (SELECT conname FROM pg_constraint)",
        list(tables),
    )
    for index in indexes:
        await connection.execute(f'DROP INDEX "{index["indexname"]}"')
        restore.append(index["indexdef"])
    for key in keys:
        await connection.execute(f'ALTER TABLE {key["tbl"]} DROP CONSTRAINT "{key["conname"]}"')
        restore.insert(
            0, f'ALTER TABLE {key["tbl"]} ADD CONSTRAINT "{key["conname"]}" {key["def"]}'
        )
    return restore


async def load_year(
    dsn: str, plan: Campaign, units: int, initiatives: int, seed: int = 2022
) -> tuple[LoadReport, list[Unit]]:
    """Fill an empty, migrated reporting database; the tree is returned for the events."""
    rng = random.Random(seed)
    report = LoadReport()
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        report.seconds[name] = round(now - clock, 2)
        clock = now

    tree = union_tree(units, rng)
    below = [u for u in tree if u.level != "federation"]
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute("SET synchronous_commit = off")
        restore = await _detach(connection, BIG_TABLES)
        await _copy(
            connection,
            report,
            "units",
            ("code", "name", "parent_code", "level", "path"),
            iter([(u.code, u.name, u.parent_code, u.level, u.path) for u in tree]),
        )
        published = datetime(2022, 2, 16, 3, tzinfo=UTC)
        await connection.execute(
            "INSERT INTO campaigns (code, definition, published_at) VALUES ($1, $2, $3)",
            plan.code,
            json.dumps(plan.model_dump(mode="json")),  # as handlers.campaign stores the event's
            published,
        )
        lap("units_and_campaign")

        counted = _initiatives(plan, tree, initiatives, rng, report)
        await _copy(
            connection,
            report,
            "initiatives",
            (
                "initiative_id",
                "campaign_code",
                "phase_code",
                "unit_code",
                "title",
                "field",
                "month",
                "day",
                "expected_benefit_vnd",
                "withdrawn",
                "recognised",
                "version_at",
            ),
            counted,
        )
        lap("initiatives_generate_and_copy")
        await _copy(
            connection,
            report,
            "processed_events",
            ("event_id", "event_type", "topic", "partition", "offset", "processed_at"),
            _processed_events(report, len(tree), rng),
        )
        lap("processed_events_copy")
        for statement in restore:
            await connection.execute(statement)
        lap("initiatives_indexes_rebuilt")

        await _copy(
            connection,
            report,
            "registrations",
            (
                "registration_id",
                "campaign_code",
                "phase_code",
                "unit_code",
                "movement_codes",
                "status",
                "status_at",
            ),
            _registrations(plan, below, rng),
        )
        await _copy(
            connection,
            report,
            "reports",
            ("campaign_code", "phase_code", "unit_code", "kind", "late", "submitted_at", "figures"),
            _reports(plan, below, rng),
        )
        complaints = list(_complaints(plan, below, rng))
        await _copy(
            connection,
            report,
            "complaints",
            ("case_id", "campaign_code", "unit_code", "received_on", "due_on", "resolved_on"),
            iter(complaints),
        )
        report.overdue_complaints = sum(
            1 for c in complaints if (c[5] or plan.period.ends_on) > c[4]
        )
        await _copy(
            connection,
            report,
            "awards",
            (
                "award_id",
                "campaign_code",
                "phase_code",
                "award_type",
                "award_name",
                "level",
                "recipient_kind",
                "recipient_id",
                "recipient_name",
                "unit_code",
                "status",
                "status_at",
            ),
            _awards(plan, below, rng),
        )
        lap("registrations_reports_complaints_awards")

        # The counters tallies.py keeps event by event (`contribution`: a row counts once its
        # submission arrived — field and day set — and until it is withdrawn), summed at once.
        report.rows["unit_tallies"] = _count(
            await connection.execute(
                "INSERT INTO unit_tallies (campaign_code, phase_code, unit_code, submitted,"
                " decided, recognised, benefit_vnd)"
                " SELECT campaign_code, phase_code, unit_code, count(*), count(recognised),"
                " count(*) FILTER (WHERE recognised), coalesce(sum(expected_benefit_vnd), 0)"
                " FROM initiatives WHERE NOT withdrawn AND field <> '' AND day IS NOT NULL"
                " GROUP BY campaign_code, phase_code, unit_code"
            )
        )
        report.rows["daily_tallies"] = _count(
            await connection.execute(
                "INSERT INTO daily_tallies (campaign_code, phase_code, day, field, submitted,"
                " decided, recognised, benefit_vnd)"
                " SELECT campaign_code, phase_code, day, field, count(*), count(recognised),"
                " count(*) FILTER (WHERE recognised), coalesce(sum(expected_benefit_vnd), 0)"
                " FROM initiatives WHERE NOT withdrawn AND field <> '' AND day IS NOT NULL"
                " GROUP BY campaign_code, phase_code, day, field"
            )
        )
        lap("tallies_insert_select")
        # A database that has been running for a year has its statistics and visibility map.
        await connection.execute("VACUUM (ANALYZE)")
        lap("vacuum_analyze")
        for name in ("initiatives", "processed_events", "unit_tallies", "units"):
            size = await connection.fetchval("SELECT pg_total_relation_size($1::regclass)", name)
            report.sizes_mb[name] = round(size / 2**20, 1)
    finally:
        await connection.close()
    report.seconds["total"] = round(sum(report.seconds.values()), 2)
    return report, tree


def _count(status: str) -> int:
    return int(status.split()[-1])  # "INSERT 0 9876"


def _initiatives(
    plan: Campaign, tree: Sequence[Unit], count: int, rng: random.Random, report: LoadReport
) -> Iterator[tuple[Any, ...]]:
    """Initiative rows; grassroots unions submit most, sections and affiliated unions some."""
    owners = [u.code for u in tree if u.level != "federation"]
    weights = [{"grassroots": 3.0, "sub": 1.0, "affiliated": 2.0}[u.level] for u in tree[1:]]
    # A few very active units: a Pareto factor on each unit's weight.
    weights = [w * rng.paretovariate(2.0) for w in weights]
    cumulative, total = [], 0.0
    for w in weights:
        total += w
        cumulative.append(total)
    phases = [
        (p.code, p.starts_on, (p.ends_on - p.starts_on).days + 1, n)
        for n, p in enumerate(plan.phases)
    ]
    days = {
        (code, offset): (start + timedelta(days=offset))
        for code, start, length, _ in phases
        for offset in range(length)
    }
    months = {key: day.strftime("%Y-%m") for key, day in days.items()}
    stamps = {key: _at(day) for key, day in days.items()}
    fields = list(FIELD_WEIGHTS)
    field_cumulative = [sum(list(FIELD_WEIGHTS.values())[: n + 1]) for n in range(len(fields))]
    assert set(fields) <= set(FIELDS)
    choose = rng.choices
    for n in range(count):
        code, _, length, index = phases[0] if n % 2 == 0 else phases[-1]
        key = (code, rng.randrange(length))
        withdrawn = rng.random() < 0.03
        draw = rng.random()
        if index == 0:  # the first phase's councils have decided most
            recognised = True if draw < 0.55 else False if draw < 0.70 else None
        else:
            recognised = True if draw < 0.35 else False if draw < 0.45 else None
        report.withdrawn += withdrawn
        report.recognised += recognised is True
        report.not_recognised += recognised is False
        yield (
            _uuid(rng),
            plan.code,
            code,
            choose(owners, cum_weights=cumulative)[0],
            f"Sáng kiến cải tiến số {n}",
            choose(fields, cum_weights=field_cumulative)[0],
            months[key],
            days[key],
            rng.randrange(0, 2_000) * 1_000_000 if rng.random() > 0.1 else 0,
            withdrawn,
            recognised,
            stamps[key],
        )


def _processed_events(
    report: LoadReport, unit_events: int, rng: random.Random
) -> Iterator[tuple[Any, ...]]:
    """One row per event the projection applied: each submission, decision and withdrawal
    (counted while the initiatives were generated), and the units'."""
    at = datetime(2023, 1, 1, tzinfo=UTC)
    events = [
        ("initiative.submitted", report.rows["initiatives"]),
        ("initiative.recognised", report.recognised),
        ("initiative.not-recognised", report.not_recognised),
        ("initiative.withdrawn", report.withdrawn),
    ]
    offset = 0
    for name, count in events:
        for _ in range(count):
            offset += 1
            yield (
                _uuid(rng),
                f"vn.congdoandaukhi.thidua.{name}.v1",
                topics.INITIATIVES,
                offset % 3,
                offset // 3,
                at,
            )
    for n in range(unit_events):
        yield (_uuid(rng), "vn.congdoandaukhi.thidua.unit.recorded.v1", "thidua.units.v1", 0, n, at)


def _registrations(
    plan: Campaign, units: Sequence[Unit], rng: random.Random
) -> Iterator[tuple[Any, ...]]:
    movements = [m.code for m in plan.movements]
    first, second = plan.phases[0], plan.phases[-1]

    def registration(
        phase: Phase, unit: Unit, chosen: int, status: str, within_days: int
    ) -> tuple[Any, ...]:
        return (
            _uuid(rng),
            plan.code,
            phase.code,
            unit.code,
            json.dumps(rng.sample(movements, chosen)),
            status,
            _at(phase.starts_on + timedelta(days=rng.randrange(within_days))),
        )

    for unit in units:
        draw = rng.random()
        status = "approved" if draw < 0.92 else "returned" if draw < 0.96 else "submitted"
        yield registration(first, unit, 3, status, 60)
        if rng.random() < 0.3:  # some register again for the second phase
            yield registration(second, unit, 2, "approved", 30)


def _reports(
    plan: Campaign, units: Sequence[Unit], rng: random.Random
) -> Iterator[tuple[Any, ...]]:
    """Result reports with the figures the targets read (`figure` of each target); some
    miss a figure, give 0, or are late; plan reports at the start of the year."""
    figures = [
        t.indicator.figure
        for t in plan.targets
        if isinstance(t.indicator, ShareOfUnits) and t.indicator.figure
    ]
    for phase in plan.phases:
        for unit in units:
            if rng.random() < 0.85:
                values = {name: 100.0 for name in figures if rng.random() < 0.97}
                if values and rng.random() < 0.03:
                    values[rng.choice(list(values))] = 0.0
                late = rng.random() < 0.1
                due = phase.report_due_on + timedelta(days=rng.randrange(1, 20) if late else 0)
                yield (
                    plan.code,
                    phase.code,
                    unit.code,
                    "result",
                    late,
                    _at(due),
                    json.dumps(values),
                )
            if phase is plan.phases[0] and rng.random() < 0.6:
                yield (
                    plan.code,
                    phase.code,
                    unit.code,
                    "plan",
                    False,
                    _at(phase.starts_on + timedelta(days=30)),
                    "{}",
                )


def _complaints(
    plan: Campaign, units: Sequence[Unit], rng: random.Random
) -> Iterator[tuple[Any, ...]]:
    """About one case per five units; most resolved in time, some late, some still open."""
    days = (plan.period.ends_on - plan.period.starts_on).days
    for _ in range(len(units) // 5):
        received = plan.period.starts_on + timedelta(days=rng.randrange(days))
        due = received + timedelta(days=30)
        draw = rng.random()
        resolved: date | None = (
            received + timedelta(days=rng.randrange(1, 30))
            if draw < 0.8
            else due + timedelta(days=rng.randrange(1, 60))
            if draw < 0.9
            else None
        )
        yield (_uuid(rng), plan.code, rng.choice(units).code, received, due, resolved)


def _awards(plan: Campaign, units: Sequence[Unit], rng: random.Random) -> Iterator[tuple[Any, ...]]:
    types = list(plan.awards.types)
    for n in range(max(10, len(units) // 20)):
        kind = rng.choice(types)
        unit = rng.choice(units)
        individual = "individual" in kind.recipients and rng.random() < 0.5
        draw = rng.random()
        status = "confirmed" if draw < 0.7 else "proposed" if draw < 0.9 else "revoked"
        phase = plan.phases[n % len(plan.phases)]
        yield (
            _uuid(rng),
            plan.code,
            phase.code,
            kind.code,
            kind.name,
            str(kind.level),
            "member" if individual else "unit",
            f"{unit.code}-M{n:04d}" if individual else unit.code,
            f"Đoàn viên {n}" if individual else unit.name,
            unit.code,
            status,
            _at(phase.ends_on + timedelta(days=rng.randrange(1, 40))),
        )
