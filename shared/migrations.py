"""Alembic, per service: each service keeps its migrations in `services/<name>/migrations`."""

import asyncio

from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData
from sqlalchemy.engine import Connection

from shared.db import create_engine


def alembic_config(service_package: str, database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", f"{service_package}:migrations")
    # Passed as an attribute, not an ini option: ini values interpolate '%', which
    # URL-encoded passwords contain.
    config.attributes["database_url"] = database_url
    return config


def upgrade_to_head(service_package: str, database_url: str) -> None:
    command.upgrade(alembic_config(service_package, database_url), "head")


def run_migrations(metadata: MetaData) -> None:
    """The body of every service's `migrations/env.py`."""
    url: str = context.config.attributes["database_url"]
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=metadata, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    asyncio.run(_run_online(url, metadata))


async def _run_online(url: str, metadata: MetaData) -> None:
    engine = create_engine(url)
    async with engine.connect() as connection:
        await connection.run_sync(_run_sync, metadata)
        await connection.commit()
    await engine.dispose()


def _run_sync(connection: Connection, metadata: MetaData) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        compare_type=True,
        # SQLite cannot ALTER most things in place; batch mode rebuilds the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
