"""Batches applied set-based: the consumer cuts a batch into runs of consecutive events that
share a batch handler (order kept), and every service's batch handlers leave exactly what its
per-event handlers, applied one event after another, leave.

The comparison runs the same records through the service's real `EventConsumer` twice, on
two in-memory SQLite databases: once as `define().subscriptions` wire it (batch handlers), once
with the batch handlers taken off (`handler` only), and compares every table row by row."""

import asyncio
import dataclasses
import itertools
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any
from uuid import UUID, uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st
from prometheus_client import CollectorRegistry
from sqlalchemy import select
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import StaticPool

from bench.scoring_replay import year_of_events
from shared.contracts import (
    EventData,
    InitiativeAmended,
    InitiativeCouncilAssigned,
    InitiativeReturned,
    InitiativeSubmitted,
    InitiativeWithdrawn,
    PhaseClosed,
    UnitRecorded,
)
from shared.db import session_factory
from shared.messaging.cloudevents import Envelope, to_record
from shared.messaging.consumer import EventConsumer, Subscription, _Decoded, runs
from shared.messaging.dead_letters import DeadLetters, IncomingRecord
from shared.metrics import MessagingMetrics
from shared.service_app import ServiceDefinition
from tests.support.properties import slow_examples
from tests.support.webhook_subscribers import webhook_subscriber

# Columns whose values are made fresh on each run (uuid4 ids, the machine's clock).
FRESH = {"id", "processed_at", "created_at", "next_attempt_at", "published_at", "computed_at"}
AT = datetime(2022, 3, 1, tzinfo=UTC)


# The grouping into runs -------------------------------------------------------------------


async def _first(events: Sequence[Envelope[Any]], session: Any) -> None:
    pass


async def _second(events: Sequence[Envelope[Any]], session: Any) -> None:
    pass


BATCHES: dict[str, Any] = {"a": _first, "b": _first, "c": _second}  # "d": per event only


def _item(kind: str, n: int) -> _Decoded:
    envelope: Envelope[Any] = Envelope(
        id=uuid4(),
        source="/t",
        time=AT,
        subject=str(n),
        traceparent="",
        data=SimpleNamespace(event_type=kind),  # the type is all `runs` reads
    )
    return _Decoded(envelope, IncomingRecord("t", 0, n, None, b"", ()))


@given(st.lists(st.sampled_from("abcd"), max_size=40))
def test_runs_keep_the_order_and_group_consecutive_events_of_one_batch_handler(
    kinds: list[str],
) -> None:
    items = [_item(kind, n) for n, kind in enumerate(kinds)]
    cut = runs(items, BATCHES)
    assert [item for _, run in cut for item in run] == items  # the order, every item once
    for handle, run in cut:
        if handle is None:  # no batch handler: alone, applied by its own handler
            assert len(run) == 1 and run[0].envelope.type not in BATCHES
        else:
            assert all(BATCHES[item.envelope.type] is handle for item in run)
    for (left, _), (right, _) in itertools.pairwise(cut):
        assert left is None or left is not right  # runs are as long as they can be


def test_a_run_is_cut_where_another_handler_comes_between() -> None:
    items = [_item(kind, n) for n, kind in enumerate("aabdac")]
    assert [(h, len(r)) for h, r in runs(items, BATCHES)] == [
        (_first, 3),
        (None, 1),
        (_first, 1),
        (_second, 1),
    ]


# Batch handlers equal the per-event ones --------------------------------------------------


class _Parked(DeadLetters):
    def __init__(self) -> None:
        self.parked: list[str] = []

    async def park(self, record: IncomingRecord, reason: str, kind: str) -> None:
        self.parked.append(reason)


async def _apply(
    service: ServiceDefinition,
    subscriptions: Sequence[Subscription],
    batches: list[list[IncomingRecord]],
) -> tuple[dict[str, list[Any]], list[str]]:
    engine = create_async_engine("sqlite+aiosqlite://", poolclass=StaticPool)
    metadata = service.messaging.outbox.metadata
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    if service.name == "notifications":
        await _people(session_factory(engine))
    parked = _Parked()
    consumer = EventConsumer(
        subscriptions,
        session_factory(engine),
        service.messaging.processed_events,
        parked,
        MessagingMetrics.create(service.name, CollectorRegistry()),
        retry_delay=0,
        before_commit=service.before_commit,
    )
    for batch in batches:
        await consumer.consume_batch(batch)
    tables: dict[str, list[Any]] = {}
    async with engine.connect() as connection:
        for table in metadata.sorted_tables:
            if table is service.messaging.outbox:
                continue  # ids and times of its own; what it holds is checked by count
            columns = [c for c in table.columns if c.name not in FRESH]
            rows = (await connection.execute(select(*columns))).all()
            tables[table.name] = sorted(tuple(map(repr, row)) for row in rows)
        outbox = (await connection.execute(select(service.messaging.outbox.c.event_type))).all()
        tables["outbox (types)"] = sorted(row[0] for row in outbox)
    await engine.dispose()
    return tables, sorted(parked.parked)


async def _people(sessions: Any) -> None:
    """Officers (some with an address) for every unit of the year, an author known before,
    and a subscribed system: the audiences the batch looks up once."""
    from services.notifications.tables import Contact

    units = sorted({e.code for e in YEAR if isinstance(e, UnitRecorded)})
    async with sessions() as session, session.begin():
        for n, code in enumerate(units):
            email = f"o{n}@example.vn" if n % 2 else None
            session.add(
                Contact(
                    person_id=f"O-{code}",
                    full_name=code,
                    unit_code=code,
                    email=email,
                    is_officer=True,
                )
            )
        author = next(e for e in YEAR if isinstance(e, InitiativeSubmitted)).authors[0]
        session.add(
            Contact(person_id=author.member_id, full_name=author.member_id, email="a@example.vn")
        )
        session.add(
            # The deliveries name it by its id: the same in both runs.
            webhook_subscriber("HR", "http://hr.example.vn/", "s", AT, id_=UUID(int=7))
        )


def _definition(name: str) -> ServiceDefinition:
    if name == "scoring":
        from services.scoring.bootstrap import define as scoring

        return scoring()
    if name == "reporting":
        from services.reporting.bootstrap import define as reporting

        return reporting()
    from services.notifications.bootstrap import define as notifications
    from shared.clock import FixedClock

    return notifications(clock=FixedClock(datetime(2022, 6, 1, 9, tzinfo=UTC)))


def _year() -> list[EventData]:
    """A small year (bench.scoring_replay's), with the life events the year leaves out: an
    amendment, a council, a return and its resubmission, a withdrawal, a phase's close."""
    events = year_of_events(9, 4)
    submitted = [e for e in events if isinstance(e, InitiativeSubmitted)]
    first, second = submitted[1], submitted[2]
    common = {
        "campaign_code": "2022",
        "phase_code": "dot-1",
        "unit_code": first.unit_code,
        "title": first.title,
        "author_ids": ("M1",),
    }
    events += [
        InitiativeAmended(**{**first.model_dump(), "title": "Sửa đổi"}),
        InitiativeCouncilAssigned(
            **{**common, "initiative_id": first.initiative_id},
            reviewer_ids=("R1", "R2", "R3"),
            assigned_by="A",
            assigned_at=AT,
        ),
        InitiativeReturned(
            **{**common, "initiative_id": first.initiative_id},
            reason="Bổ sung",
            decided_at=AT,
        ),
        InitiativeAmended(**{**first.model_dump(), "title": "Nộp lại", "round": 2}),
        InitiativeWithdrawn(
            initiative_id=second.initiative_id,
            campaign_code="2022",
            phase_code="dot-1",
            unit_code=second.unit_code,
            withdrawn_by="M1",
            withdrawn_at=AT,
        ),
        PhaseClosed(
            campaign_code="2022",
            phase_code="dot-1",
            ends_on=AT.date(),
            closed_by="A",
            closed_at=AT,
            forced=False,
        ),
    ]
    return events


YEAR = _year()


def _records(order: list[int], times: list[int], repeats: list[int]) -> list[IncomingRecord]:
    # The campaign and units first, as on the topics; then the drawn order, with repeats.
    ids = [UUID(int=n + 1) for n in range(len(YEAR))]
    picked = list(range(len(YEAR) - len(order))) + [len(YEAR) - len(order) + n for n in order]
    picked += [picked[r % len(picked)] for r in repeats]
    records = []
    for offset, n in enumerate(picked):
        envelope = Envelope(
            id=ids[n],
            source="/t",
            time=AT + timedelta(minutes=times[n % len(times)] if times else n),
            subject=str(n),
            traceparent="",
            data=YEAR[n],
        )
        record = to_record(envelope)
        headers = tuple(record.headers)
        records.append(IncomingRecord(record.topic, 0, offset, record.key, record.value, headers))
    return records


_LIFE = 12  # the drawn part: the last events of the year (initiatives, decisions, close)


@pytest.mark.parametrize("name", ["scoring", "reporting", "notifications"])
@slow_examples(12)
@given(
    order=st.permutations(list(range(_LIFE))),
    times=st.lists(st.integers(0, 30), min_size=len(YEAR), max_size=len(YEAR)),
    repeats=st.lists(st.integers(0, 10_000), max_size=4),
    size=st.integers(1, 40),
)
def test_a_batch_handler_leaves_what_the_events_one_by_one_leave(
    name: str, order: list[int], times: list[int], repeats: list[int], size: int
) -> None:
    service = _definition(name)
    records = _records(order, times, repeats)
    batches = [records[n : n + size] for n in range(0, len(records), size)]
    assert any(s.batch is not None for s in service.subscriptions)
    per_event = [dataclasses.replace(s, batch=None) for s in service.subscriptions]
    expected = asyncio.run(_apply(service, per_event, batches))
    assert asyncio.run(_apply(service, service.subscriptions, batches)) == expected
