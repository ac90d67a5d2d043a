"""Counters kept beside the initiatives read model, moved by what each change adds or takes.

An initiative counts once it is submitted (a row completed by its submission: `field` set)
and until it is withdrawn. Every projection that changes a row passes the row's contribution
before and after; the difference goes to the per-unit and per-day counters with
`INSERT … ON CONFLICT DO UPDATE SET n = n + delta`, so two replicas consuming different
partitions never lose an increment.
"""

from dataclasses import dataclass
from datetime import date

from sqlmodel.ext.asyncio.session import AsyncSession

from services.reporting.tables import DailyTally, InitiativeView, UnitTally
from shared.upsert import table_of, upsert


@dataclass(frozen=True)
class Contribution:
    campaign_code: str
    phase_code: str
    unit_code: str
    day: date
    field: str
    decided: int  # 1 once a council has decided (recognised or not)
    recognised: int
    benefit_vnd: int


def contribution(row: InitiativeView | None) -> Contribution | None:
    if row is None or not row.counts() or row.day is None:
        return None
    return Contribution(
        row.campaign_code,
        row.phase_code,
        row.unit_code,
        row.day,
        row.field,
        int(row.recognised is not None),
        int(bool(row.recognised)),
        row.expected_benefit_vnd,
    )


async def apply_change(
    session: AsyncSession, before: Contribution | None, after: Contribution | None
) -> None:
    if before == after:
        return
    if before is not None:
        await _add(session, before, -1)
    if after is not None:
        await _add(session, after, +1)


async def _add(session: AsyncSession, c: Contribution, sign: int) -> None:
    counts = {
        "submitted": sign,
        "decided": sign * c.decided,
        "recognised": sign * c.recognised,
        "benefit_vnd": sign * c.benefit_vnd,
    }
    for model, key in (
        (UnitTally, {"unit_code": c.unit_code}),
        (DailyTally, {"day": c.day, "field": c.field}),
    ):
        table = table_of(model)
        await upsert(
            session,
            model,
            {"campaign_code": c.campaign_code, "phase_code": c.phase_code, **key, **counts},
            ["campaign_code", "phase_code", *key],
            {name: table.c[name] + delta for name, delta in counts.items()},
        )
