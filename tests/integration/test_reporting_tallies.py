"""Reporting's counters, kept by increments as initiatives change, always equal a count of the
initiatives read model — whatever order the events arrive in (on real PostgreSQL)."""

import random
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import async_sessionmaker

from services.reporting.bootstrap import define
from services.reporting.tables import DailyTally, InitiativeView, UnitTally
from shared.contracts import (
    InitiativeAmended,
    InitiativeNotRecognised,
    InitiativeRecognised,
    InitiativeSubmitted,
    InitiativeWithdrawn,
)
from shared.messaging.cloudevents import Envelope
from shared.upsert import table_of
from tests.support.databases import DatabaseFactory
from tests.support.envelopes import at
from tests.support.subscriptions import handlers_of

START = datetime(2022, 3, 1, 2, 0, tzinfo=UTC)
UNITS = ("PVGAS", "BSR", "PVCFC", "PVEP")
FIELDS = ("technical", "management", "environment")
# The projections reporting subscribes, as its bootstrap wires them.
HANDLERS = handlers_of(define())


def life_of_an_initiative(rng: random.Random, n: int) -> list[Envelope[Any]]:
    """Submitted; maybe amended (another field, benefit, phase or unit); then withdrawn, or
    decided by the council, or left pending."""
    initiative_id, submitted_at = uuid4(), START + timedelta(days=rng.randrange(300))
    first = InitiativeSubmitted(
        initiative_id=initiative_id,
        campaign_code="2022",
        phase_code="dot-1",
        unit_code=rng.choice(UNITS),
        title=f"Sáng kiến {n}",
        field=rng.choice(FIELDS),
        expected_benefit_vnd=rng.randrange(0, 10**9, 1000),
        submitted_by="m",
        submitted_at=submitted_at,
    )
    events, latest, time = [at(first, submitted_at)], first, submitted_at
    if rng.random() < 0.4:
        time += timedelta(hours=5)
        latest = InitiativeAmended(
            **{
                **first.model_dump(),
                "field": rng.choice(FIELDS),
                "expected_benefit_vnd": rng.randrange(0, 10**9, 1000),
                "phase_code": rng.choice(("dot-1", "dot-2")),
                "unit_code": rng.choice(UNITS),
            }
        )
        events.append(at(latest, time))
    ids = {
        "initiative_id": initiative_id,
        "campaign_code": "2022",
        "phase_code": latest.phase_code,
        "unit_code": latest.unit_code,
    }
    outcome, time = rng.random(), time + timedelta(days=3)
    if outcome < 0.2:
        events.append(at(InitiativeWithdrawn(**ids, withdrawn_by="m", withdrawn_at=time), time))
    elif outcome < 0.7:
        decision = InitiativeRecognised if outcome < 0.5 else InitiativeNotRecognised
        events.append(
            at(
                decision(
                    **ids,
                    title=latest.title,
                    decided_at=time,
                    weighted_score=8.0,
                    votes_for=3,
                    council_size=5,
                ),
                time,
            )
        )
    return events


async def apply(sessions: async_sessionmaker[Any], events: list[Envelope[Any]]) -> None:
    for event in events:
        async with sessions() as session, session.begin():
            await HANDLERS[type(event.data)](event, session)


async def counted(sessions: async_sessionmaker[Any]) -> tuple[Counter[Any], Counter[Any]]:
    """The counters as a plain count of the read model would give them."""
    i = table_of(InitiativeView).c
    per_unit: Counter[Any] = Counter()
    per_day: Counter[Any] = Counter()
    async with sessions() as session:
        rows = await session.execute(
            select(
                i.phase_code, i.unit_code, i.day, i.field, i.recognised, i.expected_benefit_vnd
            ).where(i.withdrawn.is_(False), i.field != "")
        )
        for phase, unit, day, field, recognised, benefit in rows:
            figures = Counter(
                submitted=1,
                decided=int(recognised is not None),
                recognised=int(bool(recognised)),
                benefit_vnd=benefit,
            )
            for name, value in figures.items():
                per_unit[phase, unit, name] += value
                per_day[phase, day, field, name] += value
    return +per_unit, +per_day


async def tallies(sessions: async_sessionmaker[Any]) -> tuple[Counter[Any], Counter[Any]]:
    per_unit: Counter[Any] = Counter()
    per_day: Counter[Any] = Counter()
    names = ("submitted", "decided", "recognised", "benefit_vnd")
    async with sessions() as session:
        u = table_of(UnitTally).c
        for row in await session.execute(select(u.phase_code, u.unit_code, *(u[n] for n in names))):
            for name, value in zip(names, row[2:], strict=True):
                per_unit[row[0], row[1], name] += value
        d = table_of(DailyTally).c
        for row in await session.execute(
            select(d.phase_code, d.day, d.field, *(d[n] for n in names))
        ):
            for name, value in zip(names, row[3:], strict=True):
                per_day[row[0], row[1], row[2], name] += value
    return +per_unit, +per_day  # unary plus drops the counters that went back to zero


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_the_tallies_equal_a_count_of_the_read_model_in_any_arrival_order(
    reporting_db: async_sessionmaker[Any], seed: int
) -> None:
    rng = random.Random(seed)
    events = [e for n in range(60) for e in life_of_an_initiative(rng, n)]
    rng.shuffle(events)  # amendments before submissions, decisions before both...
    await apply(reporting_db, events)

    expected, got = await counted(reporting_db), await tallies(reporting_db)
    assert got == expected
    per_unit = expected[0]
    assert sum(v for (_, _, name), v in per_unit.items() if name == "submitted") > 20
    assert any(name == "recognised" for _, _, name in per_unit), "some were recognised"


async def test_the_read_model_ends_the_same_whatever_the_order(
    databases: DatabaseFactory,
) -> None:
    rng = random.Random(7)
    events = [e for n in range(40) for e in life_of_an_initiative(rng, n)]
    results = []
    for order in (sorted(events, key=lambda e: e.time), list(reversed(events))):
        async with databases.migrated("reporting") as sessions:
            await apply(sessions, order)
            async with sessions() as session:
                i = table_of(InitiativeView).c
                rows = await session.execute(
                    select(func.count(), func.sum(i.expected_benefit_vnd)).where(
                        i.withdrawn.is_(False), i.field != ""
                    )
                )
                results.append((tuple(rows.one()), await tallies(sessions)))
    assert results[0] == results[1]
