"""Database plumbing shared by the services: a private registry each, engines, sessions."""

from pathlib import Path

from sqlalchemy import MetaData, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.orm import registry
from sqlmodel.ext.asyncio.session import AsyncSession

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
    return create_async_engine(database_url, pool_size=10, max_overflow=10, pool_pre_ping=True)


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)
