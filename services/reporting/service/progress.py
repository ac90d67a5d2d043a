"""The seven targets and the league table, computed from the read models and kept in
`target_progress` and `standings` (a materialised view refreshed by `refresher`).

Why materialised: a national year has ten thousand units, and measuring them all against
every target takes longer than a dashboard request may (the issue asks p95 < 50 ms); the
read models change by the event, the standings only need to be as fresh as a dashboard is
looked at. A refresh is skipped while the read models' fingerprint is unchanged.
"""

import asyncio
import time
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.reporting.queries import measure, read_inputs, target_rows
from services.reporting.tables import (
    Core,
    RefreshState,
    StandingRow,
    TargetProgressRow,
)
from shared.campaign.model import Campaign
from shared.campaign.progress import TargetProgress, phases_to_date
from shared.upsert import table_of, upsert, upsert_many


class WrittenStandings:
    """The standings this process last committed, by campaign and phase: the refresher's
    state, made with it. Rows staged by a refresh count as written once its transaction is
    committed (`committed`); until then, and if it fails, the phase's rows are read back."""

    def __init__(self) -> None:
        self._known: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}
        self._staged: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}

    def known(self, key: tuple[str, str]) -> dict[str, dict[str, Any]] | None:
        return self._known.get(key)

    def stage(self, key: tuple[str, str], rows: dict[str, dict[str, Any]]) -> None:
        self._known.pop(key, None)
        self._staged[key] = rows

    def committed(self, key: tuple[str, str]) -> None:
        if (rows := self._staged.pop(key, None)) is not None:
            self._known[key] = rows


async def fingerprint(
    session: AsyncSession, campaign_code: str, phase_code: str, phases: list[str], today: date
) -> str:
    """Changes when anything a phase's progress is computed from changes (in practice: a
    hash would need every row; these sums move with every event reporting applies). An event
    of a later phase leaves an earlier phase's alone."""
    parts: list[Any] = [today.isoformat()]
    for query in (
        select(
            func.count(), func.sum(func.length(Core.units.c.name) + func.length(Core.units.c.path))
        ),
        select(
            func.count(),
            func.sum(Core.unit_tallies.c.submitted),
            func.sum(Core.unit_tallies.c.recognised),
            func.sum(Core.unit_tallies.c.benefit_vnd),
        ).where(
            Core.unit_tallies.c.campaign_code == campaign_code,
            Core.unit_tallies.c.phase_code.in_(phases),
        ),
        select(func.count(), func.max(Core.registrations.c.status_at)).where(
            Core.registrations.c.campaign_code == campaign_code,
            Core.registrations.c.phase_code.in_(phases),
        ),
        select(func.count(), func.max(Core.reports.c.submitted_at)).where(
            Core.reports.c.campaign_code == campaign_code, Core.reports.c.phase_code == phase_code
        ),
        select(
            func.count(),
            func.count(Core.complaints.c.resolved_on),
            func.max(Core.complaints.c.due_on),
        ).where(Core.complaints.c.campaign_code == campaign_code),
        select(Core.campaigns.c.published_at).where(Core.campaigns.c.code == campaign_code),
        # Not an input of the targets, but of the business gauges refreshed with them.
        select(func.count(), func.max(Core.awards.c.status_at)).where(
            Core.awards.c.campaign_code == campaign_code
        ),
    ):
        parts.extend((await session.execute(query)).one_or_none() or ())
    return "|".join(str(p) for p in parts)


async def refresh(
    session: AsyncSession,
    plan: Campaign,
    phase_code: str,
    today: date,
    now: datetime,
    written: WrittenStandings,
) -> bool:
    """Recompute the phase's progress if its inputs changed; True if it did (then commit,
    and tell `written`)."""
    mark = await fingerprint(
        session, plan.code, phase_code, phases_to_date(plan, phase_code), today
    )
    state = await session.get(RefreshState, (plan.code, phase_code))
    if state is not None and state.fingerprint == mark:
        return False
    started = time.perf_counter()
    inputs = await read_inputs(session, plan, phase_code)
    # A national tree takes a second of pure Python: in a thread, so that the event loop
    # goes on answering requests and applying events meanwhile (the GIL is shared by turns).
    progress, ranked = await asyncio.to_thread(measure, plan, phase_code, inputs, today)
    await _store_targets(session, progress, now)
    await _store_standings(session, plan.code, phase_code, ranked, written)
    seconds = time.perf_counter() - started
    values = {"fingerprint": mark, "computed_at": now, "seconds": seconds}
    await upsert(
        session,
        RefreshState,
        {"campaign_code": plan.code, "phase_code": phase_code, **values},
        ["campaign_code", "phase_code"],
        values,
    )
    return True


async def _store_targets(session: AsyncSession, progress: TargetProgress, now: datetime) -> None:
    for row in target_rows(progress, now):
        key = {name: row.pop(name) for name in ("campaign_code", "phase_code", "number")}
        await upsert(session, TargetProgressRow, {**key, **row}, list(key), row)


async def _store_standings(
    session: AsyncSession,
    campaign_code: str,
    phase_code: str,
    ranked: list[dict[str, Any]],
    written: WrittenStandings,
) -> None:
    """Write only the rows that changed: most units' standings stay put between refreshes.
    What this process wrote last is remembered, so only the first refresh reads them back
    (another replica computes the same rows from the same read models)."""
    table = table_of(StandingRow)
    where = (table.c.campaign_code == campaign_code) & (table.c.phase_code == phase_code)
    stored = written.known((campaign_code, phase_code))
    if stored is None:
        columns = [c.name for c in table.columns if c.name not in ("campaign_code", "phase_code")]
        stored = {
            row.unit_code: dict(row._mapping)
            for row in (await session.execute(select(*(table.c[c] for c in columns)).where(where)))
        }
    fresh = {row["unit_code"]: row for row in ranked}
    written.stage((campaign_code, phase_code), fresh)
    changed = [
        {"campaign_code": campaign_code, "phase_code": phase_code, **row}
        for code, row in fresh.items()
        if stored.get(code) != row
    ]
    await upsert_many(session, StandingRow, changed, ["campaign_code", "phase_code", "unit_code"])
    gone = stored.keys() - fresh.keys()
    if gone:
        await session.execute(delete(table).where(where, table.c.unit_code.in_(gone)))
