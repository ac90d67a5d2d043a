"""Idempotency keys on POST: the same request sent twice (a retry after a time-out, a double
click) gets the first answer again instead of creating a second record.

A key belongs to its caller (the principal's subject): two people may use the same key. The
key is claimed at the start of the request's transaction and bound to its answer before that
transaction commits, so a key is either unused or bound to a committed result: a request that
fails leaves the key unused. Reusing a key for a different request is a 422. A key holds for
24 hours (`KEY_LIFETIME`); then it is free again.

Two requests with the same key at the same moment: the second one's claim waits on the first
one's row (PostgreSQL's unique index; SQLite's single writer) until the first commits, then
finds the key taken and replays the first answer. Nothing is created twice and neither caller
sees an error.
"""

import asyncio
import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import Header
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from sqlalchemy import JSON, Column, DateTime, Integer, MetaData, String, Table, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.http.errors import ClientError
from shared.upsert import dialect_insert

log = logging.getLogger(__name__)

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 200
KEY_LIFETIME = timedelta(hours=24)
# A claimed key's answer until the claiming transaction records the real one; never committed
# (see `earlier_response`), so no caller ever reads it back.
_PENDING = 0

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias=HEADER,
        description="Optional, up to 200 characters, chosen by the caller (a UUID, say). "
        "Sending the same request again with the same key within 24 hours gives the first "
        "answer again and creates nothing more; the same key with a different request is "
        "refused (422). After 24 hours the key is free again.",
    ),
]


def add_idempotency_table(metadata: MetaData) -> Table:
    return Table(
        "idempotency_keys",
        metadata,
        Column("subject", String(100), primary_key=True),
        Column("key", String(MAX_KEY_LENGTH), primary_key=True),
        Column("request_hash", String(64), nullable=False),
        Column("status_code", Integer, nullable=False),
        Column("response_body", JSON, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
    )


def request_hash(body: Any) -> str:
    canonical = json.dumps(jsonable_encoder(body), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def upload_hash(data: bytes, **fields: Any) -> str:
    """A multipart request's digest: its file by content (another file under the same name is
    another request) and its form fields."""
    return request_hash({**fields, "file_sha256": hashlib.sha256(data).hexdigest()})


async def earlier_response(
    session: AsyncSession, table: Table, subject: str, key: str | None, digest: str
) -> JSONResponse | None:
    """The answer already given to this key, or None if the key is new (or absent).

    Call it first in the request's transaction. A new key is claimed here, in that transaction:
    the caller then either records its answer with `remember_response` before committing, or
    fails and rolls back, which frees the key for a retry."""
    if not key:
        return None
    if len(key) > MAX_KEY_LENGTH:
        raise ClientError(
            422,
            HEADER,
            "key_too_long",
            "Idempotency-Key quá dài (tối đa 200 ký tự)",
            "Idempotency-Key is too long (200 characters at most)",
        )
    now = datetime.now(UTC)  # when it was recorded: the machine's time
    # A key holds for a day, as payment APIs keep theirs: a retry comes within minutes, and an
    # answer kept for good would be replayed to its caller long after they may still read
    # what it holds (an initiative's content, for one they are no longer an author of). An
    # expired key is freed here, so that it is claimed anew below.
    await session.execute(
        table.delete().where(
            table.c.subject == subject,
            table.c.key == key,
            table.c.created_at < now - KEY_LIFETIME,
        )
    )
    # Claim by inserting, not by looking first: a look lets two concurrent requests both see
    # the key free and both create. The insert of the second waits for the first's row.
    insert = dialect_insert(session, table)
    claimed = await session.execute(
        insert.values(
            subject=subject,
            key=key,
            request_hash=digest,
            status_code=_PENDING,
            response_body={},
            created_at=now,
        )
        .on_conflict_do_nothing(index_elements=["subject", "key"])
        .returning(table.c.key)
    )
    if claimed.first() is not None:
        return None
    row = (
        await session.execute(select(table).where(table.c.subject == subject, table.c.key == key))
    ).one()
    if row.request_hash != digest:
        raise ClientError(
            422,
            HEADER,
            "key_reused",
            "Idempotency-Key này đã được dùng cho một yêu cầu khác",
            "This Idempotency-Key was already used for a different request",
        )
    if row.status_code == _PENDING:
        # Only if a route committed a claim without its answer: refuse rather than replay
        # an answer that was never given.
        raise ClientError(
            409,
            HEADER,
            "key_unanswered",
            "Yêu cầu với Idempotency-Key này chưa có kết quả; hãy dùng khóa mới",
            "The request with this Idempotency-Key has no recorded answer; use a new key",
        )
    return JSONResponse(status_code=row.status_code, content=row.response_body)


async def remember_response(
    session: AsyncSession,
    table: Table,
    subject: str,
    key: str | None,
    digest: str,
    status_code: int,
    body: Any,
) -> None:
    """Bind the key claimed by `earlier_response` to this answer, in the caller's
    transaction."""
    if not key:
        return
    await session.execute(
        table.update()
        .where(table.c.subject == subject, table.c.key == key, table.c.request_hash == digest)
        .values(status_code=status_code, response_body=jsonable_encoder(body))
    )


@dataclass(frozen=True)
class IdempotentRequest:
    """One request's key, caller and digest, so a route names them once:

    once = IdempotentRequest(idempotency_keys, principal.subject, key, request_hash(body))
    async with session.begin():
        if (earlier := await once.earlier(session)) is not None:
            return earlier
        ...  # create
        answer = await once.answer(session, 201, created)
    return answer
    """

    table: Table
    subject: str
    key: str | None
    digest: str

    async def earlier(self, session: AsyncSession) -> JSONResponse | None:
        return await earlier_response(session, self.table, self.subject, self.key, self.digest)

    async def answer(self, session: AsyncSession, status_code: int, body: Any) -> JSONResponse:
        """Record the answer (if a key was sent) and give it: the first caller receives
        exactly the JSON a replay will."""
        content = jsonable_encoder(body)
        await remember_response(
            session, self.table, self.subject, self.key, self.digest, status_code, content
        )
        return JSONResponse(status_code=status_code, content=content)


@dataclass(frozen=True)
class ExpiredKeysPurge:
    """A service's worker (`ServiceDefinition.workers`): once an hour, the keys past
    `KEY_LIFETIME` are deleted, so the table holds about a day's keys, not every key ever
    sent. A claim frees its own expired key anyway; this is only the housekeeping."""

    table: Table
    interval_seconds: float = 3600.0

    async def purge_once(self, sessions: async_sessionmaker[Any]) -> int:
        """Delete the expired keys; how many there were."""
        cutoff = datetime.now(UTC) - KEY_LIFETIME  # the keys' own clock: the machine's
        async with sessions() as session, session.begin():
            result = await session.execute(
                self.table.delete().where(self.table.c.created_at < cutoff)
            )
        return int(getattr(result, "rowcount", 0) or 0)

    async def __call__(self, sessions: async_sessionmaker[Any], _: object) -> None:
        while True:
            try:
                if gone := await self.purge_once(sessions):
                    log.info("expired idempotency keys deleted", extra={"keys": gone})
            except Exception:  # the database away for a while: the next round tries again
                log.warning("expired idempotency keys not deleted", exc_info=True)
            await asyncio.sleep(self.interval_seconds)
