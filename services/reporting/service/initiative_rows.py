"""An initiative's row in reporting's read model, folded from its life events set-based.

The rows a run of events touches are read in one query as plain rows (not ORM objects: at a
national year's rates, building a SQLModel object cost more than folding its event), folded
in memory, and the ones that changed written back with one multi-row upsert; the counters'
moves go with one upsert per counter table (`tallies.Changes`). One event alone is a run of
one, so there is one fold.

Events can arrive late, twice or out of order across partitions: the newest content by the
event's own time shows, the life is the shared fold (shared.contracts.lifecycle: a
withdrawal wins, a later round wins), and a decision found before its initiative waits in a
placeholder row that the submission later completes.
"""

import dataclasses
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.reporting.service.tallies import Changes, contribution
from services.reporting.tables import InitiativeView
from shared.contracts import InitiativeSubmitted
from shared.contracts.base import EventData
from shared.contracts.lifecycle import InitiativeStatus, advance
from shared.messaging.cloudevents import Envelope
from shared.upsert import table_of, upsert_many

_TABLE = table_of(InitiativeView)


@dataclasses.dataclass
class InitiativeRow:
    """The columns of `InitiativeView`, as the fold reads and writes them."""

    initiative_id: UUID
    campaign_code: str
    phase_code: str
    unit_code: str
    title: str
    field: str
    month: str
    version_at: datetime
    day: date | None = None
    expected_benefit_vnd: int = 0
    withdrawn: bool = False
    recognised: bool | None = None
    status: str = InitiativeStatus.submitted
    round: int = 1

    def columns(self) -> dict[str, Any]:
        """The row's columns by name. Shallow: every value is a scalar, and
        `dataclasses.asdict`/`astuple` deep-copy each one (a third of reporting's time while
        it folded a national year's initiatives, in a py-spy profile)."""
        return dict(vars(self))

    def counts(self) -> bool:
        """COUNTED, for one row: submitted (its content arrived) and not withdrawn."""
        return bool(self.field) and not self.withdrawn


async def fold_events(events: Sequence[Envelope[Any]], session: AsyncSession) -> None:
    """A run of an initiative's life events (submissions, amendments, withdrawals, scoring's
    decisions), in order: one read, the fold in memory, one write per table."""
    ids = {e.data.initiative_id for e in events}
    found = await session.execute(select(_TABLE).where(_TABLE.c.initiative_id.in_(ids)))
    rows = {r.initiative_id: InitiativeRow(**r._asdict()) for r in found}
    before = {key: row.columns() for key, row in rows.items()}
    changes = Changes()
    for event in events:
        key = event.data.initiative_id
        rows[key] = _fold(rows.get(key), event, changes)
    changed = [
        columns for key, row in rows.items() if before.get(key) != (columns := row.columns())
    ]
    await upsert_many(session, InitiativeView, changed, ["initiative_id"])
    await changes.write(session)


def _fold(row: InitiativeRow | None, event: Envelope[Any], changes: Changes) -> InitiativeRow:
    """One life event on the initiative's row (None: not seen yet), its counters' move noted."""
    if isinstance(event.data, InitiativeSubmitted):  # an amendment is one too
        return _content(row, event, changes)
    if row is None:  # a withdrawal or a decision overtook the submission: remember it
        row = _placeholder(event.data, event.time)
    held = contribution(row)
    _move(row, event.data)
    changes.change(held, contribution(row))
    return row


def _content(
    row: InitiativeRow | None, event: Envelope[InitiativeSubmitted], changes: Changes
) -> InitiativeRow:
    i = event.data
    held = contribution(row)
    if row is not None and row.version_at > event.time:
        # An older version than the one shown: its content is stale, its place in the
        # initiative's life is still folded in (the fold keeps the later state).
        _move(row, i)
        changes.change(held, contribution(row))
        return row
    received_on = i.received_day  # the campaign's day, not the day it was typed in
    content: dict[str, Any] = {
        "campaign_code": i.campaign_code,
        "phase_code": i.phase_code,
        "unit_code": i.unit_code,
        "title": i.title,
        "field": i.field,
        "month": received_on.strftime("%Y-%m"),
        "day": received_on,
        "expected_benefit_vnd": i.expected_benefit_vnd or 0,
        "version_at": event.time,
    }
    if row is None:
        row = InitiativeRow(initiative_id=i.initiative_id, **content)
    else:
        row = dataclasses.replace(row, **content)
    _move(row, i)
    changes.change(held, contribution(row))
    return row


def _move(row: InitiativeRow, event: EventData) -> None:
    """Fold the event into the row's life; the counters read `withdrawn` and `recognised`."""
    after = advance(row.status, row.round, event)
    row.status, row.round = after.status, after.round
    row.withdrawn = after.status is InitiativeStatus.withdrawn
    row.recognised = (
        True
        if after.status is InitiativeStatus.recognised
        else False
        if after.status is InitiativeStatus.not_recognised
        else None
    )


def _placeholder(data: Any, at: datetime) -> InitiativeRow:
    # Completed by the submission when it arrives; its version time is older than any real one.
    return InitiativeRow(
        initiative_id=data.initiative_id,
        campaign_code=data.campaign_code,
        phase_code=data.phase_code,
        unit_code=data.unit_code,
        title=getattr(data, "title", None) or "",  # a withdrawal from before 1.3 has none
        field="",
        month="",
        version_at=datetime.min.replace(tzinfo=at.tzinfo),
    )
