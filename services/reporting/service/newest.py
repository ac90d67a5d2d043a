"""Read models where the newest version of a thing shows: a run of events written with one
multi-row upsert that replaces a row only with a newer version.

Events can arrive twice or out of order across partitions, so each row keeps the version
(a time, a revision) it shows, and an older one never replaces it. A run is first reduced in
memory to one row per key, by the same rule, so that the statement touches each row once;
the rule's SQL form (`ON CONFLICT … DO UPDATE … WHERE`) then decides against what is stored.
One event alone is a run of one.
"""

from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Table
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from shared.contracts.base import EventData
from shared.messaging.cloudevents import Envelope
from shared.upsert import dialect_insert, table_of

Data = TypeVar("Data", bound=EventData)


@dataclass(frozen=True)
class Newest:
    """A read model's key and the column its versions are ordered by. `strict`: an equal
    version does not replace (the first one stays); otherwise the later one in the run does.
    No `version`: the last one written shows."""

    model: type[SQLModel]
    key: tuple[str, ...]
    version: str | None = None
    strict: bool = False

    def newer(self, incoming: dict[str, Any], held: dict[str, Any]) -> bool:
        if self.version is None:
            return True
        if self.strict:
            return bool(incoming[self.version] > held[self.version])
        return bool(incoming[self.version] >= held[self.version])

    def projection(
        self, row: Callable[[Data], dict[str, Any]]
    ) -> Callable[[Sequence[Envelope[Data]], AsyncSession], Awaitable[None]]:
        """The batch handler that writes each event as its `row`."""

        async def project(events: Sequence[Envelope[Data]], session: AsyncSession) -> None:
            await self.write(session, (row(e.data) for e in events))

        return project

    async def write(self, session: AsyncSession, rows: Iterable[dict[str, Any]]) -> None:
        kept: dict[tuple[Any, ...], dict[str, Any]] = {}
        for row in rows:
            key = tuple(row[name] for name in self.key)
            held = kept.get(key)
            if held is None or self.newer(row, held):
                kept[key] = row
        if not kept:
            return
        table: Table = table_of(self.model)
        insert = dialect_insert(session, self.model)
        first = next(iter(kept.values()))
        replaced = {name: insert.excluded[name] for name in first if name not in self.key}
        where = None
        if self.version is not None:
            stored, offered = table.c[self.version], insert.excluded[self.version]
            where = stored < offered if self.strict else stored <= offered
        await session.execute(
            insert.on_conflict_do_update(index_elements=list(self.key), set_=replaced, where=where),
            list(kept.values()),
        )
