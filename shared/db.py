"""Database plumbing shared by the services: a private registry each, engines, sessions."""

import time
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Dialect,
    Integer,
    MetaData,
    Numeric,
    TypeDecorator,
    event,
    make_url,
)
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.orm import registry
from sqlalchemy.pool import ConnectionPoolEntry, PoolProxiedConnection
from sqlalchemy.types import TypeEngine
from sqlmodel.ext.asyncio.session import AsyncSession

from shared.contracts.bounds import VND_TOTAL_DIGITS

# Named constraints keep Alembic's autogenerate stable across PostgreSQL and SQLite.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def service_registry() -> registry:
    """A registry with its own MetaData, so each service's tables (and migrations) stay its own
    even when tests import all four services into one process."""
    return registry(metadata=MetaData(naming_convention=NAMING_CONVENTION))


def create_engine(database_url: str) -> AsyncEngine:
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        # One file, many coroutines: wait for the writer's lock instead of failing at once.
        return create_async_engine(database_url, connect_args={"timeout": 30})
    # Bounded waits: a database that accepts connections and never answers must become a 503
    # (shared.http.unavailable) within seconds, not after asyncpg's 60 s default.
    engine = create_async_engine(
        database_url,
        pool_size=10,
        max_overflow=10,
        pool_timeout=10,
        connect_args={"timeout": 5},
    )
    event.listen(engine.sync_engine, "checkin", _note_return)
    event.listen(engine.sync_engine, "checkout", _replace_if_dead)
    return engine


# How long a connection may have waited in the pool before it is asked, with a round trip,
# whether it still answers: its death may not have reached this process yet (a server that
# went away while nothing was being read, a NAT or load balancer that forgot it overnight). A
# busy pool hands its connections out again within milliseconds and never pays for it.
PING_AFTER_IDLE_SECONDS = 10.0
_RETURNED_AT = "thidua.returned_at"


def _note_return(dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
    record.info[_RETURNED_AT] = time.monotonic()


def _replace_if_dead(
    dbapi_connection: Any, record: ConnectionPoolEntry, _proxy: PoolProxiedConnection
) -> None:
    """The pool's check of a connection it hands out, instead of SQLAlchemy's pre-ping.

    `pool_pre_ping` on asyncpg is three round trips every checkout (BEGIN, a query,
    ROLLBACK: its pgbouncer-safe ping): ~150-300 µs of CPU and ~350 µs of wall time a
    checkout (bench/pool_checkout.py, one-statement transactions), 10-14% of a submission's
    CPU in py-spy. A server that restarts or crashes closes its connections' sockets, and
    asyncpg marks a connection closed once the event loop has read that: `is_closed()`
    tells it for free. What it cannot tell (the goodbye not read yet, a peer that vanished
    without one) is asked of a connection that has been idle a while
    (PING_AFTER_IDLE_SECONDS); a busy one that died in the last moments fails its request,
    and SQLAlchemy then drops the whole pool. Raising DisconnectionError is SQLAlchemy's
    documented way to have the pool discard the connection and try another."""
    if dbapi_connection.driver_connection.is_closed():
        raise DisconnectionError("the database closed this pooled connection")
    returned_at = record.info.get(_RETURNED_AT)
    if returned_at is None or time.monotonic() - returned_at < PING_AFTER_IDLE_SECONDS:
        return
    try:
        dbapi_connection.ping()
    except Exception as error:
        raise DisconnectionError(
            "a pooled connection idle for a while no longer answers"
        ) from error


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)


def serial_id() -> Column[int]:
    """An `id` primary key numbered by the database in the order rows are written: a BIGINT
    on PostgreSQL, an INTEGER on SQLite (which only auto-increments an INTEGER PRIMARY KEY)."""
    return Column(
        "id", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True
    )


class VndTotal(TypeDecorator[int]):
    """A sum of VND amounts, read and written as a Python int.

    NUMERIC(30, 0) on PostgreSQL: a sum of a million amounts at the maximum (10^15 each) is
    10^21, past bigint (shared.contracts.bounds.VND_MAX says why). SQLite, for development
    and tests only, keeps its 64-bit integer: its NUMERIC would round through a float."""

    impl = Numeric(VND_TOTAL_DIGITS, 0)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(BigInteger())
        return dialect.type_descriptor(Numeric(VND_TOTAL_DIGITS, 0))

    def process_bind_param(self, value: int | None, dialect: Dialect) -> Any:
        if value is None or dialect.name == "sqlite":
            return value
        return Decimal(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> int | None:
        return None if value is None else int(value)
