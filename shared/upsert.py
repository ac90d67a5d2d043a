"""INSERT ... ON CONFLICT DO UPDATE for the two databases we run on.

Projections that add to a counter use it so that two replicas consuming different
partitions never lose an update to the same row (a read-modify-write would).
"""

from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession as ModelSession

Row = TypeVar("Row", bound=SQLModel)


def table_of(target: Table | type[SQLModel]) -> Table:
    """The Core table behind a SQLModel table class (for expressions on its columns)."""
    if isinstance(target, Table):
        return target
    table: Table = target.__table__  # type: ignore[attr-defined]
    return table


def dialect_insert(session: AsyncSession, target: Table | type[SQLModel]) -> Any:
    """An INSERT that knows ON CONFLICT, in the dialect of the session's database (PostgreSQL,
    or SQLite for development and tests)."""
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table_of(target))


async def upsert(
    session: AsyncSession,
    target: Table | type[SQLModel],
    values: dict[str, Any],
    key: list[str],
    on_conflict: dict[str, Any],
) -> None:
    """`target` is a Core table or a SQLModel table class."""
    insert = dialect_insert(session, target)
    await session.execute(
        insert.values(**values).on_conflict_do_update(index_elements=key, set_=on_conflict)
    )


async def upsert_many(
    session: AsyncSession,
    target: Table | type[SQLModel],
    rows: list[dict[str, Any]],
    key: list[str],
) -> None:
    """Insert `rows`, replacing the non-key columns of those whose key exists, in one
    statement (SQLAlchemy batches the values)."""
    if not rows:
        return
    insert = dialect_insert(session, target)
    replaced = {name: insert.excluded[name] for name in rows[0] if name not in key}
    await session.execute(insert.on_conflict_do_update(index_elements=key, set_=replaced), rows)


async def locked_or_added(session: ModelSession, new: Row, key: Sequence[str]) -> Row:
    """The row of `new`'s table whose `key` columns (its primary key or a unique constraint)
    hold `new`'s values, locked for the transaction: `new` itself, inserted, when there was
    none. Looked up first and added after, two requests making the same row at once (a
    unit's registration, a campaign, a contact) both found none and the second one's insert
    broke the constraint: a 500. Here the second one's insert waits for the first's
    transaction, then finds its row and acts on it as it would have a moment later (replaces
    it, or is refused by what it holds)."""
    insert = dialect_insert(session, type(new)).values(**new.model_dump())
    await session.execute(insert.on_conflict_do_nothing(index_elements=list(key)))
    query = select(type(new)).filter_by(**{name: getattr(new, name) for name in key})
    return (await session.exec(query.with_for_update())).one()
