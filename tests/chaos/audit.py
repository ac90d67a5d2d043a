"""After the faults: wait until nothing is in flight, then compare what the clients were told
with every service's database, the topics and the dead-letter topics.

Counting rules. On a topic, the same event (one `ce_id`) may appear more than once: delivery
is at least once (an outbox relay killed between sending and marking sends again). What must
not happen is one fact announced by two different events, or a fact a client was told of
missing anywhere. For each thing a client asked for, `found` is how many distinct rows or
events say it happened: an acknowledged one needs exactly 1 (0 is lost, 2 is doubled); one
whose outcome the client never learned may be 0 or 1; a refused one must be 0.
"""

import asyncio
import json
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import astuple, dataclass, field, fields
from typing import Any

import asyncpg
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from shared.contracts import topics
from shared.contracts.topics import dead_letter_topic
from tests.chaos.load import (
    Call,
    CloseStory,
    ComplaintStory,
    InitiativeStory,
    Outcome,
    RegistrationStory,
    ReportStory,
    Story,
)
from tests.chaos.stack import SERVICES, Stack

PREFIX = "vn.congdoandaukhi.thidua."
TOPICS = (
    topics.INITIATIVES,
    topics.CAMPAIGNS,
    topics.REGISTRATIONS,
    topics.REPORTS,
    topics.REVIEWS,
    topics.AWARDS,
    topics.STANDINGS,
    topics.UNITS,
)
CONSUMERS = ("submissions", "scoring", "notifications", "reporting")
DEAD_LETTERS = tuple(dead_letter_topic(name) for name in CONSUMERS)
# Which event each inbox message answers (notifications/rules.yaml, the authors' part).
TOLD_AUTHORS = {
    "initiative_received": "initiative.submitted.v1",
    "initiative_amended": "initiative.amended.v1",
    "initiative_under_review": "initiative.council_assigned.v1",
    "initiative_recognised": "initiative.recognised.v1",
    "initiative_not_recognised": "initiative.not_recognised.v1",
}


@dataclass(frozen=True)
class Event:
    topic: str
    partition: int
    offset: int
    key: str
    event_id: str
    type: str  # after the prefix: initiative.submitted.v1
    data: Any
    headers: dict[str, str]


async def partitions_of(bootstrap: str, names: Iterable[str]) -> list[TopicPartition]:
    """The partitions of those of these topics that exist (a consumer's metadata covers only
    what it subscribed to; the admin client asks the broker)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        described = await admin.describe_topics(sorted(set(names)))
    finally:
        await admin.close()
    return [
        TopicPartition(topic["topic"], partition["partition"])
        for topic in described
        if topic["error_code"] == 0
        for partition in topic["partitions"]
    ]


async def read_topics(bootstrap: str, names: Iterable[str]) -> dict[str, list[Event]]:
    """Every record of these topics, from the beginning to the end they have now."""
    wanted = list(names)
    found: dict[str, list[Event]] = {name: [] for name in wanted}
    partitions = await partitions_of(bootstrap, wanted)
    if not partitions:
        return found
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, enable_auto_commit=False, auto_offset_reset="earliest"
    )
    await consumer.start()
    try:
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        ends = await consumer.end_offsets(partitions)
        while [p for p in partitions if await consumer.position(p) < ends[p]]:
            batches = await consumer.getmany(timeout_ms=1000, max_records=5000)
            for partition, records in batches.items():
                found[partition.topic].extend(_event(r) for r in records)
    finally:
        await consumer.stop()
    return found


def _event(record: Any) -> Event:
    headers = {name: value.decode(errors="replace") for name, value in record.headers or ()}
    try:
        data = json.loads(record.value)
    except ValueError:
        data = None
    return Event(
        record.topic,
        record.partition,
        record.offset,
        (record.key or b"").decode(errors="replace"),
        headers.get("ce_id", ""),
        headers.get("ce_type", "").removeprefix(PREFIX),
        data,
        headers,
    )


async def _rows(url: str, query: str, *args: Any) -> list[asyncpg.Record]:
    connection = await asyncpg.connect(url)
    try:
        rows: list[asyncpg.Record] = await connection.fetch(query, *args)
        return rows
    finally:
        await connection.close()


async def _rows_by(key: str, url: str, query: str, *args: Any) -> dict[Any, asyncpg.Record]:
    """The rows `query` answers, by their column `key`."""
    return {r[key]: r for r in await _rows(url, query, *args)}


async def consumer_lag(bootstrap: str) -> dict[str, int]:
    """Records each group has not committed past, on every partition of every topic it has
    committed on."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await admin.start()
    await consumer.start()
    try:
        lags = {}
        for group in CONSUMERS:
            committed = await admin.list_consumer_group_offsets(group)
            partitions = await partitions_of(bootstrap, {tp.topic for tp in committed})
            ends = await consumer.end_offsets(partitions) if partitions else {}
            lags[group] = sum(
                max(0, ends[tp] - max(0, committed[tp].offset if tp in committed else 0))
                for tp in partitions
            )
        return lags
    finally:
        await consumer.stop()
        await admin.close()


async def outbox_pending(stack: Stack) -> dict[str, int]:
    counts = {}
    for name in SERVICES:
        rows = await _rows(
            stack.database(name), "SELECT count(*) FROM outbox WHERE published_at IS NULL"
        )
        counts[name] = int(rows[0][0])
    return counts


async def settle(stack: Stack, timeout: float, say: Callable[[str], None]) -> bool:
    """Wait until every outbox is empty and every consumer group has committed to the end of
    what it reads, twice in a row with nothing new on the topics in between."""
    for name, service in stack.services.items():
        if not service.running():
            say(
                f"{name} was not running after the faults "
                f"(exit {service.process and service.process.returncode}): started"
            )
            await asyncio.to_thread(service.start, 180.0)
    deadline, previous = time.monotonic() + timeout, None
    state: tuple[Any, ...] = ()
    while time.monotonic() < deadline:
        try:
            pending = await outbox_pending(stack)
            lags = await consumer_lag(stack.broker.address)
            state = (tuple(pending.values()), tuple(lags.values()))
        except Exception as error:  # the stack may still be coming back
            state = (repr(error)[:200],)
        quiet = state == ((0,) * len(SERVICES), (0,) * len(CONSUMERS))
        if quiet and previous == state:
            return True
        previous = state if quiet else None
        await asyncio.sleep(3.0)
    say(f"not settled in {timeout:.0f}s: outboxes and lags {state}")
    return False


@dataclass
class Row:
    """One check's counts, in the table's columns (`Audit.table` reads the fields in order)."""

    checked: int = 0
    acked: int = 0
    lost: int = 0
    doubled: int = 0
    wrong: int = 0


@dataclass
class Audit:
    rows: dict[str, Row] = field(default_factory=dict)
    examples: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def row(self, area: str) -> Row:
        return self.rows.setdefault(area, Row())

    def _example(self, area: str, problem: str, what: str) -> None:
        shown = self.examples[f"{area} — {problem}"]
        if len(shown) < 8:
            shown.append(what)
        else:
            shown[-1] = "…"

    def count(self, area: str, outcome: Outcome | None, found: int, what: str) -> None:
        """One thing a client asked for, found `found` times (outcome None: nobody was told
        anything, yet it must be there exactly once, as an event derived from another)."""
        row = self.row(area)
        row.checked += 1
        if outcome in (Outcome.ACKED, None):
            row.acked += 1
            if found == 0:
                row.lost += 1
                self._example(area, "lost", what)
        if outcome is Outcome.REFUSED and found > 0:
            row.wrong += 1
            self._example(area, "refused, yet done", what)
        elif found > 1:
            row.doubled += found - 1
            self._example(area, "doubled", f"{what} ×{found}")

    def compare(self, area: str, expected: int, found: int, what: str) -> None:
        """A number a consumer keeps, against what it should be."""
        row = self.row(area)
        row.checked += 1
        row.acked += expected
        if found < expected:
            row.lost += expected - found
            self._example(area, "lost", f"{what}: {found} of {expected}")
        elif found > expected:
            row.doubled += found - expected
            self._example(area, "doubled", f"{what}: {found} for {expected}")

    def agree(self, area: str, ours: Any, theirs: Any, what: str) -> None:
        row = self.row(area)
        row.checked += 1
        if ours != theirs:
            row.wrong += 1
            self._example(area, "disagrees", f"{what}: {theirs!r}, submissions {ours!r}")

    def flag(self, area: str, problem: str, what: str) -> None:
        row = self.row(area)
        row.checked += 1
        row.wrong += 1
        self._example(area, problem, what)

    @property
    def failed(self) -> bool:
        return any(r.lost or r.doubled or r.wrong for r in self.rows.values())

    def table(self) -> str:
        width = max(len(a) for a in self.rows) if self.rows else 10
        heads = [column.name for column in fields(Row)]
        lines = [f"{'check':<{width}}  " + " ".join(f"{h:>7}" for h in heads)]
        lines.append("-" * len(lines[0]))
        for area, r in self.rows.items():
            figures = astuple(r)
            lines.append(f"{area:<{width}}  " + " ".join(f"{n:>7}" for n in figures))
        for problem, shown in self.examples.items():
            lines.append(f"\n{problem}:")
            lines.extend(f"  {line}" for line in shown)
        return "\n".join(lines)


class Index:
    """The topics' events by (type, key), each event once, in the order of its partition."""

    def __init__(self, events: dict[str, list[Event]]) -> None:
        self.by: dict[tuple[str, str], list[Event]] = defaultdict(list)
        seen: set[tuple[str, str]] = set()
        for name in TOPICS:
            for event in sorted(events.get(name, []), key=lambda e: (e.partition, e.offset)):
                if (event.topic, event.event_id) not in seen:
                    seen.add((event.topic, event.event_id))
                    self.by[(event.type, event.key)].append(event)
        self.ids: dict[str, set[str]] = {
            name: {e.event_id for e in events.get(name, [])} for name in TOPICS
        }

    def of(self, type_: str, key: str | None) -> list[Event]:
        return self.by.get((type_, key or ""), [])


async def audit(stack: Stack, stories: list[Story], units: list[str]) -> Audit:
    result = Audit()
    written = set()  # every topic an outbox wrote to, should one be missing from TOPICS
    for name in SERVICES:
        written |= {
            r["topic"]
            for r in await _rows(stack.database(name), "SELECT DISTINCT topic FROM outbox")
        }
    events = await read_topics(stack.broker.address, {*TOPICS, *written, *DEAD_LETTERS})
    index = Index(events)
    submissions = stack.database("submissions")
    scoring, reporting = stack.database("scoring"), stack.database("reporting")
    notifications = stack.database("notifications")

    initiatives = await _rows(
        submissions,
        "SELECT i.id::text AS id, i.unit_code, i.title, i.status, i.round, a.member_id "
        "FROM initiatives i JOIN initiative_authors a ON a.initiative_id = i.id "
        "WHERE a.member_id LIKE 'CHM-%'",
    )
    by_member: dict[str, list[asyncpg.Record]] = defaultdict(list)
    for row in initiatives:
        by_member[row["member_id"]].append(row)
    reviews = await _rows_by(
        "id", scoring, "SELECT initiative_id::text AS id, status, title FROM reviews"
    )
    views = await _rows_by(
        "id",
        reporting,
        "SELECT initiative_id::text AS id, status, title, withdrawn FROM initiatives",
    )
    inbox: dict[tuple[str, str], int] = defaultdict(int)
    for r in await _rows(
        notifications,
        "SELECT recipient_id, trigger, count(*) AS n FROM inbox_messages "
        "WHERE recipient_id LIKE 'CHM-%' GROUP BY recipient_id, trigger",
    ):
        inbox[(r["recipient_id"], r["trigger"])] = int(r["n"])

    for story in stories:
        if isinstance(story, InitiativeStory):
            _initiative(result, index, story, by_member[story.member], reviews, views, inbox)
    await _tallies(result, units, submissions, reporting)
    await _registrations(result, index, stories, submissions, reporting)
    await _reports(result, index, stories, submissions, reporting)
    await _complaints(result, index, stories, submissions, reporting)
    await _close(result, index, stories, submissions, scoring)
    await _pipeline(result, stack, events)
    return result


def _outcome(calls: list[Call]) -> Outcome:
    return calls[0].outcome if calls else Outcome.UNKNOWN


def _initiative(
    result: Audit,
    index: Index,
    story: InitiativeStory,
    rows: list[asyncpg.Record],
    reviews: dict[str, asyncpg.Record],
    views: dict[str, asyncpg.Record],
    inbox: dict[tuple[str, str], int],
) -> None:
    submit = story.of("initiative")[0]
    result.count("initiatives: submissions", submit.outcome, len(rows), story.member)
    if submit.acked and rows and str(submit.body["id"]) not in {r["id"] for r in rows}:
        result.flag("initiatives: submissions", "not the id the client was given", story.member)
    for row in rows:
        initiative = row["id"]
        submitted = index.of("initiative.submitted.v1", initiative)
        result.count("initiatives: topic", None, len(submitted), initiative)
        amended = index.of("initiative.amended.v1", initiative)
        for call in story.of("amend"):
            applied = [e for e in amended if e.data.get("title") == call.detail["title"]]
            result.count("amendments: topic", call.outcome, len(applied), initiative)
        versions = amended or submitted
        if versions:
            last = versions[-1]
            result.agree(
                "amendments: submissions", row["title"], last.data.get("title"), initiative
            )
        for call in story.of("withdraw"):
            withdrawn = index.of("initiative.withdrawn.v1", initiative)
            result.count("withdrawals: topic", call.outcome, len(withdrawn), initiative)
            if call.acked:
                result.agree("withdrawals: submissions", "withdrawn", row["status"], initiative)
        for call in story.of("assign"):
            seated = index.of("initiative.council_assigned.v1", initiative)
            result.count("councils: topic", call.outcome, len(seated), initiative)
        for call in story.of("score"):
            scored = [
                e
                for e in index.of("initiative.reviewed.v1", initiative)
                if e.data.get("reviewer_id") == call.detail["reviewer"]
            ]
            result.count("scores: topic", call.outcome, len(scored), initiative)
        decided = index.of("initiative.recognised.v1", initiative) + index.of(
            "initiative.not_recognised.v1", initiative
        )
        scores = story.of("score")
        if len(scores) == 3 and all(c.acked for c in scores):
            result.count("decisions: topic", Outcome.ACKED, len(decided), initiative)
        elif len(decided) > 1:
            result.count("decisions: topic", Outcome.UNKNOWN, len(decided), initiative)
        # Every consumer's copy of it: there, in the same state, under the same title.
        for check, copy in (
            ("scoring: reviews", reviews.get(initiative)),
            ("reporting: initiatives", views.get(initiative)),
        ):
            result.count(check, None, int(copy is not None), initiative)
            if copy is not None:
                ours, theirs = (row["status"], row["title"]), (copy["status"], copy["title"])
                result.agree(check, ours, theirs, initiative)
        for trigger, type_ in TOLD_AUTHORS.items():
            told = inbox.get((story.member, trigger), 0)
            result.compare(
                "notifications: inbox",
                len(index.of(type_, initiative)),
                told,
                f"{story.member} {trigger}",
            )


async def _tallies(result: Audit, units: list[str], submissions: str, reporting: str) -> None:
    """Reporting's per-unit counters move by what each change adds or takes: an event applied
    twice (or missed) shows here."""
    expected = await _rows_by(
        "unit_code",
        submissions,
        "SELECT unit_code, count(*) FILTER (WHERE status <> 'withdrawn') AS submitted, "
        "count(*) FILTER (WHERE status = 'recognised') AS recognised "
        "FROM initiatives WHERE unit_code = ANY($1) AND phase_code = 'dot-1' "
        "GROUP BY unit_code",
        units,
    )
    found = await _rows_by(
        "unit_code",
        reporting,
        "SELECT unit_code, submitted, recognised FROM unit_tallies "
        "WHERE unit_code = ANY($1) AND phase_code = 'dot-1'",
        units,
    )
    for unit in units:
        for figure in ("submitted", "recognised"):
            ours = int(expected[unit][figure]) if unit in expected else 0
            theirs = int(found[unit][figure]) if unit in found else 0
            result.compare("reporting: unit tallies", ours, theirs, f"{unit} {figure}")


async def _registrations(
    result: Audit, index: Index, stories: list[Story], submissions: str, reporting: str
) -> None:
    rows = await _rows_by(
        "unit_code", submissions, "SELECT id::text AS id, unit_code, status FROM registrations"
    )
    views = await _rows_by(
        "id", reporting, "SELECT registration_id::text AS id, status FROM registrations"
    )
    for story in stories:
        if not isinstance(story, RegistrationStory):
            continue
        drafted = story.of("register")
        row = rows.get(story.unit)
        result.count(
            "registrations: submissions", _outcome(drafted), int(row is not None), story.unit
        )
        if row is None:
            continue
        for kind, type_ in (
            ("register-submit", "registration.submitted.v1"),
            ("register-approve", "registration.approved.v1"),
        ):
            for call in story.of(kind):
                result.count(
                    "registrations: topic",
                    call.outcome,
                    len(index.of(type_, row["id"])),
                    f"{story.unit} {kind}",
                )
        if any(c.acked for c in story.of("register-approve")):
            result.agree("registrations: submissions", "approved", row["status"], story.unit)
        if row["status"] != "draft":
            view = views.get(row["id"])
            result.count("reporting: registrations", None, int(view is not None), story.unit)
            if view is not None:
                result.agree("reporting: registrations", row["status"], view["status"], story.unit)


async def _reports(
    result: Audit, index: Index, stories: list[Story], submissions: str, reporting: str
) -> None:
    rows = {
        (r["unit_code"], r["kind"]): r
        for r in await _rows(submissions, "SELECT id::text AS id, unit_code, kind FROM reports")
    }
    views = {
        (r["unit_code"], r["kind"])
        for r in await _rows(reporting, "SELECT unit_code, kind FROM reports")
    }
    for story in stories:
        if not isinstance(story, ReportStory):
            continue
        call, row = story.of("report")[0], rows.get((story.unit, story.kind))
        what = f"{story.unit} {story.kind}"
        result.count("reports: submissions", call.outcome, int(row is not None), what)
        if row is None:
            continue
        # Filing again replaces a unit's report of that kind, with a new event: one request
        # (retried with its key) must file it once.
        result.count(
            "reports: topic", call.outcome, len(index.of("report.submitted.v1", row["id"])), what
        )
        result.count("reporting: reports", None, int((story.unit, story.kind) in views), what)


async def _complaints(
    result: Audit, index: Index, stories: list[Story], submissions: str, reporting: str
) -> None:
    cases: dict[str, list[str]] = defaultdict(list)
    for r in await _rows(
        submissions,
        "SELECT id::text AS id, summary FROM complaint_cases WHERE summary LIKE '%CHC-%'",
    ):
        cases[r["summary"].rsplit(" ", 1)[-1]].append(r["id"])
    views = {r["id"] for r in await _rows(reporting, "SELECT case_id::text AS id FROM complaints")}
    for story in stories:
        if not isinstance(story, ComplaintStory):
            continue
        call, found = story.of("complaint")[0], cases.get(story.mark, [])
        result.count("complaints: submissions", call.outcome, len(found), story.mark)
        for case in found:
            result.count(
                "complaints: topic", None, len(index.of("complaint.opened.v1", case)), case
            )
            result.count("reporting: complaints", None, int(case in views), case)


async def _close(
    result: Audit, index: Index, stories: list[Story], submissions: str, scoring: str
) -> None:
    close = next(s for s in stories if isinstance(s, CloseStory)).of("close")
    outcome = _outcome(close)
    phase = await _rows(
        submissions, "SELECT status FROM phases WHERE campaign_code = '2022' AND code = 'dot-1'"
    )
    result.count("phase close: submissions", outcome, int(phase[0]["status"] == "closed"), "dot-1")
    closed = [e for e in index.of("phase.closed.v1", "2022") if e.data.get("phase_code") == "dot-1"]
    result.count("phase close: topic", outcome, len(closed), "dot-1")
    copies = await _rows(scoring, "SELECT 1 FROM closed_phases WHERE phase_code = 'dot-1'")
    result.count("phase close: scoring", outcome, len(copies), "dot-1")
    # Scoring computes a close's standings and proposals again after late data, under ids
    # derived from what they state: one statement, one event id.
    statements: dict[tuple[Any, ...], set[str]] = defaultdict(set)
    for (type_, key), found in index.by.items():
        for event in found:
            if type_ == "standing.published.v1":
                statements[(type_, key, event.data.get("revision"))].add(event.event_id)
            elif type_.startswith("award."):
                statements[(type_, key, event.data.get("status"))].add(event.event_id)
    for statement, ids in statements.items():
        result.count("standings and awards: topic", None, len(ids), " ".join(map(str, statement)))


async def _pipeline(result: Audit, stack: Stack, events: dict[str, list[Event]]) -> None:
    """Nothing left in an outbox; everything an outbox marked published is on its topic;
    nothing on a dead-letter topic."""
    on_topics: dict[str, set[str]] = {n: {e.event_id for e in found} for n, found in events.items()}
    for name in SERVICES:
        rows = await _rows(
            stack.database(name), "SELECT event_id::text AS id, topic, published_at FROM outbox"
        )
        for row in rows:
            if row["published_at"] is None:
                result.flag("outboxes: unpublished", "left in the outbox", f"{name} {row['id']}")
            else:
                result.count(
                    "outboxes: published rows on topics",
                    None,
                    int(row["id"] in on_topics.get(row["topic"], set())),
                    f"{name} {row['id']} → {row['topic']}",
                )
    for topic in DEAD_LETTERS:
        result.row(f"dead letters: {topic}")
        for event in events.get(topic, []):
            reason = event.headers.get("dlq_reason", "?")
            result.flag(
                f"dead letters: {topic}",
                "parked",
                f"{event.type or '?'} {event.key}: {reason[:200]}",
            )
