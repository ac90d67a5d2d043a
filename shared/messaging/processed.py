"""Recording a run of events as processed: one statement, which answers with the ids it
recorded (an id already there was applied before, and is left out).

On PostgreSQL the ids travel as arrays, one per column, and `unnest` turns them into rows:
one statement of six parameters whatever the batch's size, where a multi-row VALUES list had
six per event, each bound in Python (about a third of what a consumer spent on an event that
its handlers did nothing with, bench/consumer_batches.py). SQLite, for development and tests,
takes the rows as a multi-row insert.
"""

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Table, text
from sqlmodel.ext.asyncio.session import AsyncSession

from shared.upsert import dialect_insert


@dataclass(frozen=True, slots=True)
class Delivered:
    """One event as its record delivered it: what `processed_events` keeps of it."""

    event_id: UUID
    event_type: str
    topic: str
    partition: int
    offset: int


async def record_processed(
    session: AsyncSession, table: Table, events: Sequence[Delivered], at: datetime
) -> set[UUID]:
    """Insert the events not recorded yet, in the session's transaction; their ids."""
    if not events:
        return set()
    dialect = session.get_bind().dialect
    if dialect.name == "postgresql":
        rows = await session.execute(
            _unnest_insert(dialect.identifier_preparer.format_table(table)),
            {
                "event_ids": [e.event_id for e in events],
                "event_types": [e.event_type for e in events],
                "topics": [e.topic for e in events],
                "partitions": [e.partition for e in events],
                "offsets": [e.offset for e in events],
                "at": at,
            },
        )
        return set(rows.scalars())
    insert = dialect_insert(session, table).on_conflict_do_nothing(index_elements=["event_id"])
    rows = await session.execute(
        insert.returning(table.c.event_id),
        [{**asdict(e), "processed_at": at} for e in events],
    )
    return set(rows.scalars())


def _unnest_insert(table: str) -> Any:
    """`table`: its name as the dialect quotes it (with its schema, if it has one). The casts
    give PostgreSQL (and asyncpg, which asks it) each array's type."""
    return text(
        f'INSERT INTO {table} (event_id, event_type, topic, "partition", "offset", '
        "processed_at) "
        "SELECT id, kind, topic, part, off, CAST(:at AS timestamptz) FROM unnest("
        "CAST(:event_ids AS uuid[]), CAST(:event_types AS text[]), CAST(:topics AS text[]), "
        "CAST(:partitions AS integer[]), CAST(:offsets AS bigint[])"
        ") AS delivered(id, kind, topic, part, off) "
        "ON CONFLICT (event_id) DO NOTHING RETURNING event_id"
    )
