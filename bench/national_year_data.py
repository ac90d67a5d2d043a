"""A national year of events, generated from a seed and produced straight to the topics.

`year_records` yields the year in the campaign's calendar order, as the services' outboxes
would have published it: the 2022 plan (campaigns/2022.yaml) and its two phases, the union
tree (`bench.reporting_scale_data.union_tree`), every affiliated and grassroots union's
registration and result report per phase, and the initiatives with their lives, in the
proportions of the demo year (`services/submissions/demo_year/story.py`):

- about 1 in 150 withdrawn by its authors before a council sits;
- the others get a council of three 14-35 days after they came in (`council assigned`),
  three scores (`reviewed`) and a decision on the sitting day: recognised or not (by the
  council's votes), or, 1 in 20, returned; two returned in three are amended 10-20 days later
  (round 2) and go before a council again;
- what comes in late in the year is still waiting, or its council is still scoring, on
  31/12 (about a tenth).

Every record is a contract event (the pydantic model, serialised as `to_record` does) keyed
by its aggregate's id, with deterministic ids and times, so one seed always gives the same
topics. Producing writes ready-made batches per partition (the default partitioner's
murmur2), so Python's per-record cost is the model and the batch append, not a future each.
"""

import asyncio
import heapq
import multiprocessing
import random
import time
import uuid
from collections import Counter
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from dataclasses import field as dataclass_field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, TypedDict

from aiokafka import AIOKafkaProducer
from aiokafka.partitioner import murmur2

from bench.reporting_scale_data import FIELD_WEIGHTS, Unit, union_tree
from shared import contracts
from shared.campaign.loader import load_campaign
from shared.campaign.model import Campaign
from shared.contracts.base import EventData
from shared.contracts.topics import declared_topics
from shared.messaging.cloudevents import CONTENT_TYPE, SPEC_VERSION

ROOT = Path(__file__).resolve().parents[1]
CAMPAIGN = "2022"
YEAR_START, YEAR_END = date(2022, 2, 16), date(2022, 12, 31)  # the plan's day to the year's end
LAST_RECEIVED = date(2022, 12, 15)
MOVEMENTS = ("lao-dong-gioi-sang-tao", "01-trieu-sang-kien")
RETURN_REASON = "Bổ sung số liệu tính giá trị làm lợi và xác nhận của đơn vị áp dụng."

Record = tuple[str, bytes, bytes, list[tuple[str, bytes]]]  # topic, key, value, headers


@dataclass
class YearCounts:
    """What was generated: events by type, records by topic."""

    by_type: Counter[str] = field(default_factory=Counter)
    by_topic: Counter[str] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.by_topic.values())


def type_name(event_type: str) -> str:
    """`initiative.submitted` of `vn.congdoandaukhi.thidua.initiative.submitted.v1`."""
    return event_type.removeprefix("vn.congdoandaukhi.thidua.").rsplit(".", 1)[0]


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


class _Stamper:
    """Deterministic CloudEvents attributes: ids from the seed, times on the campaign day."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._serial = 0
        self._constant = [
            ("ce_specversion", SPEC_VERSION.encode()),
            ("content-type", CONTENT_TYPE.encode()),
        ]

    def record(self, data: EventData, subject: str, day: date, source: str) -> Record:
        self._serial += 1
        bits = f"{self._rng.getrandbits(128):032x}"
        event_id = f"{bits[:8]}-{bits[8:12]}-4{bits[13:16]}-a{bits[17:20]}-{bits[20:]}"
        headers = [
            *self._constant,
            ("ce_id", event_id.encode()),
            ("ce_source", source.encode()),
            ("ce_type", data.event_type.encode()),
            ("ce_time", f"{day.isoformat()}T01:00:00.{self._serial % 1_000_000:06d}Z".encode()),
            ("ce_subject", subject.encode()),
            ("traceparent", f"00-{bits}-{bits[:16]}-01".encode()),
        ]
        return data.topic, subject.encode(), data.model_dump_json().encode(), headers


def _at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


class _Place(TypedDict):
    """Unpacked into each event about an initiative (a TypedDict: mypy checks the fields)."""

    initiative_id: uuid.UUID
    campaign_code: str
    phase_code: str
    unit_code: str


@dataclass
class _Life:
    """One initiative between its events: what the next one needs."""

    initiative_id: uuid.UUID
    unit: str
    affiliated: str
    phase: str
    title: str
    field: str
    authors: tuple[contracts.InitiativeAuthor, ...]
    benefit: int
    received: date
    quality: float
    round: int = 1
    step: str = "council"
    reviewers: tuple[str, ...] = ()
    votes_for: int = 0
    score: float = 0.0
    sitting: date = YEAR_END
    returned: bool = False  # by its first council
    resubmits: bool = True  # once returned
    rng: random.Random = dataclass_field(default_factory=random.Random)

    @property
    def place(self) -> _Place:
        """What every event about the initiative names: it, and its campaign, phase and unit."""
        return {
            "initiative_id": self.initiative_id,
            "campaign_code": CAMPAIGN,
            "phase_code": self.phase,
            "unit_code": self.unit,
        }


def _working_days(start: date, end: date) -> list[date]:
    days, day = [], start
    while day <= end:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def _phase_of(day: date) -> str:
    return "dot-1" if day <= date(2022, 6, 30) else "dot-2"


def year_records(
    initiatives: int,
    units: int,
    seed: int = 2022,
    counts: YearCounts | None = None,
    share: tuple[int, int] = (0, 1),
) -> Iterator[Record]:
    """The year's records in calendar order (each initiative's events in their own order).

    `share` (k, n): the k-th of n producers' part: the initiatives numbered k modulo n (the
    others are drawn all the same, so each is the same whatever n), and for k = 0 the rest
    of the year (plan, tree, registrations, reports). Event ids depend on n too."""
    rng = random.Random(f"national-year/{seed}/{units}/{initiatives}")
    stamp = _Stamper(random.Random(f"national-year-ids/{seed}/{share[0]}/{share[1]}"))
    mine = share[0] == 0
    tally = counts if counts is not None else YearCounts()

    def out(data: EventData, subject: str, day: date, source: str) -> Record:
        tally.by_type[type_name(data.event_type)] += 1
        tally.by_topic[data.topic] += 1
        return stamp.record(data, subject, day, source)

    plan = load_campaign(ROOT / "campaigns" / f"{CAMPAIGN}.yaml")
    yield from _plan_and_tree(plan, units, rng, out, mine)
    tree = union_tree(units, random.Random(f"national-year/{seed}/{units}/{initiatives}"))
    yield from _initiatives(plan.phases[0].ends_on, tree, initiatives, rng, out, share)
    if mine:
        yield from _reports(plan, tree, rng, out)


def _plan_and_tree(
    plan: Campaign, units: int, rng: random.Random, out: Any, mine: bool
) -> Iterator[Record]:
    """The plan, its phases, the tree and the registrations (drawn, and yielded if `mine`)."""
    submissions = SOURCES[0]
    tree = union_tree(units, rng)
    registering = [u for u in tree if u.level in ("affiliated", "grassroots")]
    registrations = [[_uuid(rng) for _ in registering] for _ in plan.phases]
    if not mine:
        return
    yield out(
        contracts.CampaignPublished(
            campaign_code=CAMPAIGN,
            title=plan.title,
            published_by="admin",
            definition=plan.model_dump(mode="json"),
        ),
        CAMPAIGN,
        YEAR_START,
        submissions,
    )
    for phase in plan.phases:
        yield out(
            contracts.PhaseOpened(
                campaign_code=CAMPAIGN,
                phase_code=phase.code,
                starts_on=phase.starts_on,
                ends_on=phase.ends_on,
                report_due_on=phase.report_due_on,
                opened_by="admin",
                opened_at=_at(max(phase.starts_on, YEAR_START)),
            ),
            CAMPAIGN,
            max(phase.starts_on, YEAR_START),
            submissions,
        )
    clusters = {u.code: f"CUM-{n % 5 + 1}" for n, u in enumerate(tree) if u.level == "affiliated"}
    for unit in tree:
        yield out(
            contracts.UnitRecorded(
                code=unit.code,
                name=unit.name,
                parent_code=unit.parent_code,
                level=unit.level,
                path=unit.path,
                cluster=clusters.get(unit.code),
            ),
            unit.code,
            YEAR_START,
            submissions,
        )
    for phase, ids in zip(plan.phases, registrations, strict=True):
        day = max(phase.starts_on, YEAR_START) + timedelta(days=7)
        for unit, registration in zip(registering, ids, strict=True):
            yield out(
                contracts.RegistrationApproved(
                    registration_id=registration,
                    campaign_code=CAMPAIGN,
                    phase_code=phase.code,
                    unit_code=unit.code,
                    movement_codes=MOVEMENTS,
                    actor="admin",
                    at=_at(day),
                ),
                str(registration),
                day,
                submissions,
            )


def _reports(
    plan: Campaign, tree: Sequence[Unit], rng: random.Random, out: Any
) -> Iterator[Record]:
    """Phase 1's results, filed after it ends (phase 2's come after the year)."""
    registering = [u for u in tree if u.level in ("affiliated", "grassroots")]
    submissions = SOURCES[0]
    due = plan.phases[0].report_due_on or date(2022, 7, 10)
    for n, unit in enumerate(registering):
        filed = due + timedelta(days=(n % 7) - 4)
        report = _uuid(rng)
        yield out(
            contracts.ReportSubmitted(
                report_id=report,
                campaign_code=CAMPAIGN,
                phase_code="dot-1",
                unit_code=unit.code,
                kind="result",
                figures={"activities-implemented": float(rng.randrange(40, 120))},
                due_on=due,
                submitted_at=_at(filed),
                late=filed > due,
                submitted_by=f"{unit.code}-CB01",
                filed_on=filed,
            ),
            str(report),
            filed,
            submissions,
        )


def _initiatives(
    phase_1_end: date,
    tree: Sequence[Unit],
    count: int,
    rng: random.Random,
    out: Any,
    share: tuple[int, int],
) -> Iterator[Record]:
    """`count` initiatives received over the year's working days, and what follows each, in
    day order: a heap of lives holds each one's next event until its day comes."""
    owners = [u for u in tree if u.level != "federation"]
    weights = [{"grassroots": 3.0, "sub": 1.0, "affiliated": 2.0}[u.level] for u in owners]
    weights = [w * rng.paretovariate(2.0) for w in weights]
    cumulative, total = [], 0.0
    for w in weights:
        total += w
        cumulative.append(total)
    affiliated_of = {u.code: u.path.split("/")[1] if u.level != "federation" else "" for u in tree}
    fields = list(FIELD_WEIGHTS)
    field_cumulative = [sum(list(FIELD_WEIGHTS.values())[: n + 1]) for n in range(len(fields))]
    days = _working_days(YEAR_START, LAST_RECEIVED)
    per_day = [count * (k + 1) // len(days) - count * k // len(days) for k in range(len(days))]
    sittings = [
        d
        for d in _working_days(date(2022, 3, 1), YEAR_END + timedelta(days=90))
        if d.day in (14, 15, 28, 29, 30)
    ]
    pending: list[tuple[date, int, _Life]] = []
    serial = 0

    def sitting_after(day: date, lag: int) -> date:
        due = day + timedelta(days=lag)
        return next(d for d in sittings if d >= due)

    def schedule(day: date, life: _Life) -> None:
        nonlocal serial
        serial += 1
        if day <= YEAR_END:
            heapq.heappush(pending, (day, serial, life))

    number = 0
    for day, arriving in zip(days, per_day, strict=True):
        while pending and pending[0][0] <= day:
            when, _, life = heapq.heappop(pending)
            yield from _follow_on(life, when, out, schedule, sitting_after)
        for _ in range(arriving):
            number += 1
            draws = rng.random(), rng.random(), rng.random(), rng.random(), rng.getrandbits(64)
            if number % share[1] != share[0]:
                continue
            # The rest from the initiative's own generator: the same whichever producer.
            own = random.Random(draws[4])
            unit = owners[_bisect(cumulative, draws[0] * total)]
            member = f"{unit.code}-M{own.randrange(200):03d}"
            coauthors = own.choices((0, 1, 2), (60, 30, 10))[0]
            authors = [member] + [
                f"{unit.code}-M{own.randrange(200):03d}" for _ in range(coauthors)
            ]
            authors = list(dict.fromkeys(authors))
            shares = [100 // len(authors)] * len(authors)
            shares[0] += 100 - sum(shares)
            received = day
            life = _Life(
                initiative_id=_uuid(own),
                unit=unit.code,
                affiliated=affiliated_of[unit.code],
                phase=_phase_of(received),
                title=f"Sáng kiến cải tiến số {number} của {unit.code}",
                field=fields[_bisect(field_cumulative, draws[1] * field_cumulative[-1])],
                authors=tuple(
                    contracts.InitiativeAuthor(
                        member_id=a, full_name=f"Đoàn viên {a}", share_percent=s
                    )
                    for a, s in zip(authors, shares, strict=True)
                ),
                benefit=int(draws[2] * 2_000) * 1_000_000 if draws[3] > 0.1 else 0,
                received=received,
                quality=min(9.8, max(2.0, own.gauss(6.8, 1.2))),
                rng=own,
            )
            yield out(
                _submitted(life, contracts.InitiativeSubmitted),
                str(life.initiative_id),
                day,
                SOURCES[0],
            )
            if number % 150 == 75:
                life.step = "withdraw"
                schedule(day + timedelta(days=own.randint(7, 14)), life)
                continue
            lag = own.randint(14, 35)
            if life.phase == "dot-1":
                lag = min(lag, max(0, (phase_1_end - day).days))
            sitting = sitting_after(day, lag)
            life.step = "council"
            schedule(max(day, sitting - timedelta(days=own.randint(5, 10))), life)
            life.sitting, life.returned = sitting, number % 20 == 3
            life.resubmits = number % 60 != 43
    while pending:
        when, _, life = heapq.heappop(pending)
        yield from _follow_on(life, when, out, schedule, sitting_after)


SOURCES = ("/thidua/submissions", "/thidua/scoring")


def _bisect(cumulative: Sequence[float], value: float) -> int:
    low, high = 0, len(cumulative) - 1
    while low < high:
        middle = (low + high) // 2
        if cumulative[middle] < value:
            low = middle + 1
        else:
            high = middle
    return low


def _submitted(
    life: _Life, kind: type[contracts.InitiativeSubmitted]
) -> contracts.InitiativeSubmitted:
    return kind(
        **life.place,
        title=life.title,
        field=life.field,
        authors=life.authors,
        expected_benefit_vnd=life.benefit,
        submitted_by=f"{life.unit}-CB01",
        submitted_at=_at(life.received),
        received_on=life.received,
        round=life.round,
    )


def _follow_on(
    life: _Life, day: date, out: Any, schedule: Any, sitting_after: Any
) -> Iterator[Record]:
    """The initiative's next event on `day`, scheduling the one after."""
    rng = life.rng
    subject, scoring = str(life.initiative_id), SOURCES[1]
    common = life.place
    authors = tuple(a.member_id for a in life.authors)
    sitting = life.sitting
    if life.step == "withdraw":
        yield out(
            contracts.InitiativeWithdrawn(
                **common, withdrawn_by=f"{life.unit}-CB01", withdrawn_at=_at(day), round=life.round
            ),
            subject,
            day,
            SOURCES[0],
        )
    elif life.step == "council":
        life.reviewers = tuple(f"HD-{life.affiliated}-{rng.randrange(30):02d}" for _ in range(3))
        life.reviewers = tuple(dict.fromkeys(life.reviewers))
        yield out(
            contracts.InitiativeCouncilAssigned(
                **common,
                title=life.title,
                author_ids=authors,
                round=life.round,
                reviewer_ids=life.reviewers,
                assigned_by="admin",
                assigned_at=_at(day),
            ),
            subject,
            day,
            scoring,
        )
        life.step = "scores"
        schedule(sitting - timedelta(days=rng.randint(0, 3)), life)
    elif life.step == "scores":
        votes, total = 0, 0.0
        for n, reviewer in enumerate(life.reviewers, start=1):
            own = min(10.0, max(0.0, life.quality + rng.gauss(0, 0.5)))
            votes += own >= 6.0
            total += own
            yield out(
                contracts.InitiativeReviewed(
                    **common,
                    reviewer_id=reviewer,
                    revised=False,
                    scored=n,
                    council_size=len(life.reviewers),
                    at=_at(day, 9 + n),
                    round=life.round,
                ),
                subject,
                day,
                scoring,
            )
        life.votes_for, life.score = votes, round(total / len(life.reviewers), 2)
        life.step = "decide"
        schedule(sitting, life)
    elif life.step == "decide":
        decision: dict[str, Any] = {
            **common,
            "title": life.title,
            "author_ids": authors,
            "decided_at": _at(day, 16),
            "decided_on": day,
            "round": life.round,
        }
        if life.round == 1 and life.returned:
            yield out(
                contracts.InitiativeReturned(**decision, reason=RETURN_REASON),
                subject,
                day,
                scoring,
            )
            if life.resubmits:
                life.step = "amend"
                schedule(day + timedelta(days=rng.randint(10, 20)), life)
            return
        size = len(life.reviewers)
        verdict: dict[str, Any] = {
            "weighted_score": life.score,
            "votes_for": life.votes_for,
            "council_size": size,
        }
        kind = (
            contracts.InitiativeRecognised
            if 2 * life.votes_for > size
            else contracts.InitiativeNotRecognised
        )
        yield out(kind(**decision, **verdict), subject, day, scoring)
    elif life.step == "amend":
        life.round, life.quality = 2, min(9.6, life.quality + 0.8)
        yield out(_submitted(life, contracts.InitiativeAmended), subject, day, SOURCES[0])
        life.sitting = sitting_after(day, rng.randint(14, 30))
        life.step = "council"
        schedule(life.sitting - timedelta(days=rng.randint(5, 10)), life)


# --- producing ------------------------------------------------------------------------------------


@dataclass
class Produced:
    records: int
    seconds: float
    counts: YearCounts


async def produce_year(
    bootstrap: str, records: Iterator[Record], counts: YearCounts, progress: Any = None
) -> Produced:
    """Write every record, keyed, to its topic's partition (murmur2 of the key, as the default
    partitioner), in batches; idempotent with acks=all like the services' relays."""
    partitions = {spec.name: spec.partitions for spec in declared_topics()}
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap,
        enable_idempotence=True,
        acks="all",
        linger_ms=20,
        max_batch_size=512 * 1024,
        max_request_size=4 * 1024 * 1024,
        request_timeout_ms=120_000,
    )
    await producer.start()
    builders: dict[tuple[str, int], Any] = {}
    in_flight: list[asyncio.Future[Any]] = []
    started, sent = time.perf_counter(), 0

    async def flush(where: tuple[str, int]) -> None:
        builder = builders.pop(where)
        in_flight.append(await producer.send_batch(builder, where[0], partition=where[1]))
        if len(in_flight) > 64:
            await asyncio.gather(*in_flight)
            in_flight.clear()

    try:
        for topic, key, value, headers in records:
            where = (topic, (murmur2(key) & 0x7FFFFFFF) % partitions[topic])
            builder = builders.get(where)
            if builder is None:
                builder = builders[where] = producer.create_batch()
            if builder.append(key=key, value=value, timestamp=None, headers=headers) is None:
                await flush(where)
                builder = builders[where] = producer.create_batch()
                builder.append(key=key, value=value, timestamp=None, headers=headers)
            sent += 1
            if progress is not None and sent % 200_000 == 0:
                progress(sent, time.perf_counter() - started)
        for where in list(builders):
            await flush(where)
        await asyncio.gather(*in_flight)
    finally:
        await producer.stop()
    return Produced(sent, time.perf_counter() - started, counts)


def extra_submissions(
    initiatives: int, units: int, seed: int, count: int, owners: Sequence[str] = ()
) -> Iterator[Record]:
    """`count` more initiatives submitted in phase 2, by `owners` or else the year's own
    grassroots units and sections (the same tree as `year_records(initiatives, units, seed)`),
    for the projection to ingest later."""
    if not owners:
        tree = union_tree(units, random.Random(f"national-year/{seed}/{units}/{initiatives}"))
        owners = [u.code for u in tree if u.level in ("grassroots", "sub")]
    rng = random.Random(f"national-year-more/{seed}/{count}")
    stamp = _Stamper(random.Random(f"national-year-more-ids/{seed}"))
    fields = list(FIELD_WEIGHTS)
    day = date(2022, 12, 16)
    for n in range(count):
        unit = rng.choice(owners)
        member = f"{unit}-M{rng.randrange(200):03d}"
        life = _Life(
            initiative_id=_uuid(rng),
            unit=unit,
            affiliated=unit.split("-")[0],
            phase="dot-2",
            title=f"Sáng kiến bổ sung số {n} của {unit}",
            field=rng.choice(fields),
            authors=(
                contracts.InitiativeAuthor(member_id=member, full_name=member, share_percent=100),
            ),
            benefit=rng.randrange(0, 500) * 1_000_000,
            received=day,
            quality=6.0,
        )
        yield stamp.record(
            _submitted(life, contracts.InitiativeSubmitted),
            str(life.initiative_id),
            day,
            SOURCES[0],
        )


def _produce_share(
    bootstrap: str, initiatives: int, units: int, seed: int, share: tuple[int, int]
) -> tuple[int, float, dict[str, int], dict[str, int]]:
    """One producer process's part of the year (run in a process of its own)."""
    counts = YearCounts()
    records = year_records(initiatives, units, seed, counts, share)
    produced = asyncio.run(produce_year(bootstrap, records, counts))
    return produced.records, produced.seconds, dict(counts.by_type), dict(counts.by_topic)


async def produce_year_in_parallel(
    bootstrap: str, initiatives: int, units: int, seed: int, producers: int
) -> Produced:
    """The year by `producers` processes at once, each generating and producing its share:
    generating is Python's work (a model and its JSON per record), one core's worth each."""
    started = time.perf_counter()
    loop = asyncio.get_running_loop()
    with ProcessPoolExecutor(producers, mp_context=multiprocessing.get_context("spawn")) as pool:
        parts = await asyncio.gather(
            *(
                loop.run_in_executor(
                    pool, _produce_share, bootstrap, initiatives, units, seed, (k, producers)
                )
                for k in range(producers)
            )
        )
    counts = YearCounts()
    for _, _, by_type, by_topic in parts:
        counts.by_type.update(by_type)
        counts.by_topic.update(by_topic)
    return Produced(sum(p[0] for p in parts), time.perf_counter() - started, counts)
