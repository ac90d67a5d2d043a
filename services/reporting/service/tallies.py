"""Counters kept beside the initiatives read model, moved by what each change adds or takes.

An initiative counts once it is submitted (a row completed by its submission: `field` set)
and until it is withdrawn. Every projection that changes a row notes the row's contribution
before and after (`Changes`, summed over a run of events); the difference goes to the per-unit
and per-day counters with one multi-row `INSERT … ON CONFLICT DO UPDATE SET n = n + delta` per
table, so two replicas consuming different partitions never lose an increment.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from sqlmodel.ext.asyncio.session import AsyncSession

from services.reporting.tables import DailyTally, UnitTally
from shared.upsert import dialect_insert, table_of


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


class Counted(Protocol):
    """An initiative's row as the counters read it (service.initiative_rows.InitiativeRow)."""

    campaign_code: str
    phase_code: str
    unit_code: str
    day: date | None
    field: str
    recognised: bool | None
    expected_benefit_vnd: int

    def counts(self) -> bool: ...


def contribution(row: Counted | None) -> Contribution | None:
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


class Changes:
    """The counters' moves of a run of events, summed per row, for one multi-row upsert per
    counter table (`write`): sums commute, so the counters end as the moves one by one leave
    them, a row whose moves cancel out included (it exists, at zero, as they leave it)."""

    def __init__(self) -> None:
        self._rows: dict[tuple[Any, ...], dict[str, Any]] = {}

    def change(self, before: Contribution | None, after: Contribution | None) -> None:
        if before == after:
            return
        if before is not None:
            self._add(before, -1)
        if after is not None:
            self._add(after, +1)

    def _add(self, c: Contribution, sign: int) -> None:
        counts = _counts(c, sign)
        for model, key in _keys(c):
            values = {"campaign_code": c.campaign_code, "phase_code": c.phase_code, **key}
            row = self._rows.setdefault(
                (model, *values.values()), {**values, **dict.fromkeys(counts, 0)}
            )
            for name, delta in counts.items():
                row[name] += delta

    async def write(self, session: AsyncSession) -> None:
        for model in (UnitTally, DailyTally):
            rows = [row for key, row in self._rows.items() if key[0] is model]
            if not rows:
                continue
            table = table_of(model)
            insert = dialect_insert(session, model)
            keys = [name for name in rows[0] if name not in _COUNTS]
            await session.execute(
                insert.on_conflict_do_update(
                    index_elements=keys,
                    set_={name: table.c[name] + insert.excluded[name] for name in _COUNTS},
                ),
                rows,
            )


_COUNTS = ("submitted", "decided", "recognised", "benefit_vnd")


def _counts(c: Contribution, sign: int) -> dict[str, int]:
    return {
        "submitted": sign,
        "decided": sign * c.decided,
        "recognised": sign * c.recognised,
        "benefit_vnd": sign * c.benefit_vnd,
    }


def _keys(c: Contribution) -> list[tuple[Any, dict[str, Any]]]:
    return [(UnitTally, {"unit_code": c.unit_code}), (DailyTally, {"day": c.day, "field": c.field})]
