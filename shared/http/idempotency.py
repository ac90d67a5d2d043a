"""Idempotency keys on POST: the same request sent twice (a retry after a time-out, a double
click) gets the first answer again instead of creating a second record.

The key is stored with the answer in the same transaction as the state change, so a key is
either unused or bound to a committed result. Reusing a key for a different request is a 422.
"""

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from sqlalchemy import JSON, Column, DateTime, Integer, MetaData, String, Table, select
from sqlalchemy.ext.asyncio import AsyncSession

from shared.http.errors import ClientError

HEADER = "Idempotency-Key"


def add_idempotency_table(metadata: MetaData) -> Table:
    return Table(
        "idempotency_keys",
        metadata,
        Column("subject", String(100), primary_key=True),
        Column("key", String(200), primary_key=True),
        Column("request_hash", String(64), nullable=False),
        Column("status_code", Integer, nullable=False),
        Column("response_body", JSON, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
    )


def request_hash(body: Any) -> str:
    canonical = json.dumps(jsonable_encoder(body), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


async def earlier_response(
    session: AsyncSession, table: Table, subject: str, key: str | None, digest: str
) -> JSONResponse | None:
    """The answer already given to this key, or None if the key is new (or absent)."""
    if not key:
        return None
    if len(key) > 200:
        raise ClientError(
            422,
            HEADER,
            "key_too_long",
            "Idempotency-Key quá dài (tối đa 200 ký tự)",
            "Idempotency-Key is too long (200 characters at most)",
        )
    row = (
        await session.execute(select(table).where(table.c.subject == subject, table.c.key == key))
    ).first()
    if row is None:
        return None
    if row.request_hash != digest:
        raise ClientError(
            422,
            HEADER,
            "key_reused",
            "Idempotency-Key này đã được dùng cho một yêu cầu khác",
            "This Idempotency-Key was already used for a different request",
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
    """Bind the key to this answer, in the caller's transaction."""
    if not key:
        return
    await session.execute(
        table.insert().values(
            subject=subject,
            key=key,
            request_hash=digest,
            status_code=status_code,
            response_body=jsonable_encoder(body),
            created_at=datetime.now(UTC),  # when it was recorded: the machine's time
        )
    )
