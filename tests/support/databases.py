"""Fresh PostgreSQL databases, one per test that asks, dropped afterwards."""

import uuid

import asyncpg
from sqlalchemy import make_url


class DatabaseFactory:
    def __init__(self, admin_url: str) -> None:
        self._admin_url = admin_url
        self._created: list[str] = []

    async def create(self, label: str) -> str:
        """A new empty database; returns its SQLAlchemy async URL."""
        name = f"t_{label}_{uuid.uuid4().hex[:8]}"
        connection = await asyncpg.connect(self._admin_url)
        try:
            await connection.execute(f'CREATE DATABASE "{name}"')
        finally:
            await connection.close()
        self._created.append(name)
        url = make_url(self._admin_url).set(drivername="postgresql+asyncpg", database=name)
        return url.render_as_string(hide_password=False)

    async def drop_all(self) -> None:
        connection = await asyncpg.connect(self._admin_url)
        try:
            for name in self._created:
                await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await connection.close()
        self._created.clear()
