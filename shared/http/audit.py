"""The audit trail (issue 14, point 7): every state-changing request (POST, PUT, PATCH, DELETE)
and every refusal (a 4xx on any method) is recorded in the service's own database
(shared.audit_tables) with

- who: the token's subject, roles and unit (none without a valid token);
- what: the method, the route's template and the path, the thing acted on (the path's
  parameters, or the id of what a POST created), the status, and for a change the fields its
  body set: values shortened, keys that name a secret, token, password or key redacted, files
  named by their file name only (never their content);
- when: the machine's time (UTC) and the campaign's clock;
- from where: the client's address, its user agent and the request's trace id.

One ASGI middleware, installed by `shared.service_app.create_app` inside the trace (so the trace
id is the request's) and outside the handler of unhandled errors (so a 500 is recorded too).
The row is written after the answer has been sent, in a short transaction of its own: a failure
to record is logged, never raised, and the client never waits for it.

Federation admins read it at `GET /api/v1/audit` (`router`), newest first.
"""

import asyncio
import json
import logging
import math
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy import Table, func, insert, select
from sqlalchemy import exc as sa_exc
from sqlalchemy.ext.asyncio import async_sessionmaker
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.audit_tables import (
    AGENT_MAX,
    METHOD_MAX,
    PATH_MAX,
    ROUTE_MAX,
    SUBJECT_MAX,
    TARGET_MAX,
)
from shared.auth.dependencies import FederationAdmin
from shared.auth.principal import Principal
from shared.auth.settings import AuthSettings
from shared.auth.tokens import TokenError, decode_token
from shared.http.filters import moment_bound
from shared.http.middleware import HttpMiddleware
from shared.http.paging import PageQuery
from shared.messaging.tracing import current_trace

log = logging.getLogger("thidua.audit")

CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# A body field whose name says it holds a secret is recorded as this, whatever it holds.
REDACTED = "[redacted]"
_SECRET_KEY = re.compile(r"secret|token|password|passwd|passphrase|api[-_]?key|credential", re.I)
_JSON_BODY_MAX = 256 * 1024  # a larger JSON body is recorded by its size, not its fields
_CREATED_BODY_MAX = 64 * 1024  # what a POST answered is read for the id it created
_TEXT_MAX = 200
_ITEMS_MAX = 20
_DEPTH_MAX = 4
_PART = re.compile(
    rb'content-disposition:\s*form-data;\s*name="([^"]*)"(?:;\s*filename="([^"]*)")?', re.I
)
_WRITE_TIMEOUT_SECONDS = 5.0
# A burst can take every connection of the pool for longer than the wait: the row waits for
# one again, so the trail is late by a few seconds rather than missing a request (64 clients
# at once lost one creation's row in seven). Then it is given up, logged.
_WRITE_ATTEMPTS = 4
_BUSY_PAUSE_SECONDS = 1.0


# A lone surrogate (JSON's "\ud800") is no character: the database keeps it escaped, and the
# trail read back could not be written as UTF-8 (a 500 for every page holding it).
_SURROGATE = re.compile("[\ud800-\udfff]")


def storable(text: str) -> str:
    """`text` as the trail can keep and give back: PostgreSQL's text refuses U+0000, which a
    refused request's path or body may well hold (the refusal is what the trail is for), so it
    is written as the symbol for it, U+2400; a lone surrogate as U+FFFD, the replacement
    character."""
    return _SURROGATE.sub("\ufffd", text.replace("\x00", "\u2400"))


def summarise(value: Any, depth: int = 0) -> Any:
    """What is kept of a body's value: secrets redacted by key, text shortened, long lists cut;
    what the database cannot keep (U+0000, a number JSON has no word for) written as text."""
    if isinstance(value, Mapping):
        if depth >= _DEPTH_MAX:
            return "{…}"
        return {
            storable(str(key)): (
                REDACTED if _SECRET_KEY.search(str(key)) else summarise(item, depth + 1)
            )
            for key, item in value.items()
        }
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # 1e999 reads as inf: PostgreSQL's JSON has no Infinity
    if isinstance(value, list):
        if depth >= _DEPTH_MAX:
            return "[…]"
        kept = [summarise(item, depth + 1) for item in value[:_ITEMS_MAX]]
        return kept + ([f"… {len(value) - _ITEMS_MAX} more"] if len(value) > _ITEMS_MAX else [])
    if isinstance(value, str):
        value = storable(_url_without_secrets(value))
        if len(value) > _TEXT_MAX:
            return value[:_TEXT_MAX] + f"… ({len(value)} characters)"
    return value


def _url_without_secrets(text: str) -> str:
    """A URL's password and the values of its query parameters named like a secret, redacted
    (a webhook's address may carry its receiver's token: https://hook.example/?token=…)."""
    if "://" not in text:
        return text
    try:
        url = urlsplit(text)
        query = [
            (key, REDACTED if _SECRET_KEY.search(key) else item)
            for key, item in parse_qsl(url.query, keep_blank_values=True)
        ]
        netloc = url.netloc
        if url.password is not None:
            netloc = netloc.replace(f":{url.password}@", f":{REDACTED}@", 1)
        return urlunsplit(url._replace(netloc=netloc, query=urlencode(query, safe="[]")))
    except ValueError:
        return text


class _BodyNotes:
    """What a request's body set, read as it streams past: a JSON body's fields, a multipart
    form's field names (files by their file name), else its type and size."""

    def __init__(self, content_type: str) -> None:
        self.content_type = content_type.split(";")[0].strip().lower()
        self.size = 0
        self.json = bytearray()
        self.parts: dict[str, str] = {}
        self._tail = b""

    def feed(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.content_type.endswith("json"):
            if len(self.json) <= _JSON_BODY_MAX:
                self.json += chunk
        elif self.content_type == "multipart/form-data":
            # Only the parts' headers are looked at; a header cut between chunks is kept whole
            # by scanning the end of the previous one again.
            window = self._tail + chunk
            for match in _PART.finditer(window):
                name = match.group(1).decode("utf-8", "replace")[:_TEXT_MAX]
                filename = match.group(2)
                shown = "(text)"
                if filename is not None:
                    shown = f"(file {filename.decode('utf-8', 'replace')[:_TEXT_MAX]})"
                self.parts[name] = shown
            self._tail = window[-512:]

    def fields(self) -> dict[str, Any] | None:
        if self.size == 0:
            return None
        if self.content_type.endswith("json"):
            if len(self.json) > _JSON_BODY_MAX:
                return {"(body)": f"JSON, {self.size} bytes"}
            try:
                body = json.loads(self.json)
            except (ValueError, RecursionError):  # not JSON, or nested beyond the parser
                return {"(body)": f"not readable JSON, {self.size} bytes"}
            shown = summarise(body)
            return shown if isinstance(shown, dict) else {"(body)": shown}
        if self.parts:
            return {storable(name): storable(shown) for name, shown in self.parts.items()}
        return {"(body)": storable(f"{self.content_type or 'no type'}, {self.size} bytes")}


def _who(scope: Scope) -> Principal | None:
    headers = dict(scope["headers"])
    scheme, _, token = headers.get(b"authorization", b"").decode("latin-1").partition(" ")
    settings = getattr(scope["app"].state, "auth_settings", None)
    if scheme.lower() != "bearer" or not token or not isinstance(settings, AuthSettings):
        return None
    try:
        return decode_token(token.strip(), settings)
    except TokenError:
        return None


def _created_id(body: bytes) -> str | None:
    try:
        answer = json.loads(body)
    except (ValueError, RecursionError):
        return None
    if not isinstance(answer, dict):
        return None
    for key in ("id", "code"):
        if isinstance(answer.get(key), str | int):
            return str(answer[key])
    return None


class AuditMiddleware(HttpMiddleware):
    """Records the request after its answer is sent (see the module's docstring)."""

    def __init__(self, app: ASGIApp, table: Table) -> None:
        super().__init__(app)
        self.table = table

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        method: str = scope["method"]
        changing = method in CHANGING
        headers = dict(scope["headers"])
        body = _BodyNotes(headers.get(b"content-type", b"").decode("latin-1")) if changing else None
        state = scope["app"].state
        clock = getattr(state, "clock", None)
        # Both in UTC: SQLite keeps a datetime's wall time and drops its offset.
        started = {
            "recorded_at": datetime.now(UTC),
            "campaign_time": clock.now().astimezone(UTC) if clock is not None else None,
        }
        trace = current_trace()
        status = 500
        answered = bytearray()

        async def receive_noting() -> Message:
            message = await receive()
            if body is not None and message["type"] == "http.request":
                body.feed(message.get("body", b""))
            return message

        async def send_noting(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif (
                message["type"] == "http.response.body"
                and method == "POST"
                and status < 300
                and len(answered) <= _CREATED_BODY_MAX
            ):
                answered.extend(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive_noting, send_noting)
        finally:
            # A refusal is a 4xx; a read the service could not answer (a 5xx, such as /ready's
            # 503 while the database is down) is not one, and writing it would wait on the
            # very database that is down.
            if changing or 400 <= status < 500:
                try:
                    row = self._row(scope, started, status, body, bytes(answered), trace)
                except Exception:
                    log.warning(
                        "audit not recorded",
                        extra={"method": method, "path": scope["path"], "status": status},
                        exc_info=True,
                    )
                else:
                    await self._write(state, row)

    def _row(
        self,
        scope: Scope,
        started: dict[str, Any],
        status: int,
        body: _BodyNotes | None,
        answered: bytes,
        trace: Any,
    ) -> dict[str, Any]:
        principal = _who(scope)
        route = scope.get("route")
        params: dict[str, Any] = scope.get("path_params") or {}
        target = "/".join(str(v) for v in params.values()) or None
        if target is None and answered and len(answered) <= _CREATED_BODY_MAX:
            target = _created_id(answered)
        headers = dict(scope["headers"])
        client = scope.get("client")
        return {
            **started,
            "subject": principal.subject[:SUBJECT_MAX] if principal else None,
            "roles": sorted(str(r) for r in principal.roles) if principal else [],
            "unit_code": principal.unit_code[:SUBJECT_MAX] if principal else None,
            "method": scope["method"][:METHOD_MAX],
            "route": str(getattr(route, "path", ""))[:ROUTE_MAX] or None,
            "path": storable(scope["path"])[:PATH_MAX],
            "target_id": storable(target)[:TARGET_MAX] if target else None,
            "status": status,
            "fields": body.fields() if body is not None else None,
            "client_address": str(client[0])[:SUBJECT_MAX] if client else None,
            "user_agent": storable(headers.get(b"user-agent", b"").decode("latin-1"))[:AGENT_MAX]
            or None,
            "trace_id": trace.trace_id if trace is not None else None,
        }

    async def _write(self, state: Any, row: dict[str, Any]) -> None:
        sessions: async_sessionmaker[Any] | None = getattr(state, "sessions", None)
        if sessions is None:
            return
        for attempt in range(1, _WRITE_ATTEMPTS + 1):
            try:
                async with sessions() as session:
                    try:
                        # Waiting for a connection is what a burst makes long, and the only
                        # step tried again: a write cut short might have committed, and would
                        # be a second row.
                        async with asyncio.timeout(_WRITE_TIMEOUT_SECONDS):
                            await session.connection()
                    except (TimeoutError, sa_exc.TimeoutError):
                        if attempt < _WRITE_ATTEMPTS:
                            await asyncio.sleep(_BUSY_PAUSE_SECONDS * attempt)
                            continue
                        raise
                    async with asyncio.timeout(_WRITE_TIMEOUT_SECONDS):
                        await session.execute(insert(self.table).values(**row))
                        await session.commit()
                return
            except Exception:
                # The answer is given already; a trail that cannot be written is an
                # operator's problem (logged, alertable), never the caller's.
                log.warning(
                    "audit not recorded",
                    extra={"method": row["method"], "path": row["path"], "status": row["status"]},
                    exc_info=True,
                )
                return


# --- reading it ------------------------------------------------------------------------------


class AuditEntry(BaseModel):
    id: int
    recorded_at: datetime = Field(description="The machine's time (UTC)")
    campaign_time: datetime | None = Field(description="The campaign's clock at that moment")
    subject: str | None = Field(description="Who: the token's subject (none without a token)")
    roles: list[str]
    unit_code: str | None
    method: str
    route: str | None = Field(description="The route's template, e.g. /api/v1/awards/{award_id}")
    path: str
    target_id: str | None = Field(description="The path's parameters, or the id a POST created")
    status: int
    fields: dict[str, Any] | None = Field(
        description="What the body set (secrets redacted, files by name only)"
    )
    client_address: str | None
    user_agent: str | None
    trace_id: str | None


class AuditPage(BaseModel):
    items: list[AuditEntry]
    total: int
    limit: int
    offset: int


router = APIRouter(prefix="/api/v1", tags=["audit"])


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _in_utc(row: dict[str, Any]) -> dict[str, Any]:
    """The row's moments as UTC (SQLite gives them back without their offset; they were
    written in UTC)."""
    for key in ("recorded_at", "campaign_time"):
        if isinstance(row[key], datetime):
            row[key] = _utc(row[key])
    return row


@router.get("/audit", response_model=AuditPage)
async def read_audit(
    request: Request,
    _: FederationAdmin,
    page: PageQuery,
    who: Annotated[str | None, Query(max_length=SUBJECT_MAX, description="A subject")] = None,
    target_id: Annotated[
        str | None, Query(max_length=TARGET_MAX, description="Part of the target's id")
    ] = None,
    path_contains: Annotated[str | None, Query(max_length=PATH_MAX)] = None,
    status: Annotated[int | None, Query(ge=100, le=599)] = None,
    from_: Annotated[
        datetime | None, Query(alias="from", description="Recorded at or after (UTC if naive)")
    ] = None,
    to: Annotated[datetime | None, Query(description="Recorded before (UTC if naive)")] = None,
) -> AuditPage:
    """Nhật ký kiểm toán: who changed what, when and from where, and every refusal; newest
    first. For federation admins."""
    table: Table = request.app.state.audit_table
    query = select(table)
    if who:
        query = query.where(table.c.subject == who)
    if target_id:
        query = query.where(table.c.target_id.contains(target_id, autoescape=True))
    if path_contains:
        query = query.where(table.c.path.contains(path_contains, autoescape=True))
    if status is not None:
        query = query.where(table.c.status == status)
    if from_ is not None:
        query = query.where(table.c.recorded_at >= moment_bound(from_))
    if to is not None:
        query = query.where(table.c.recorded_at < moment_bound(to))
    async with request.app.state.sessions() as session:
        total = await session.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = (await session.execute(page.of(query.order_by(table.c.id.desc())))).all()
    return AuditPage(
        items=[AuditEntry.model_validate(_in_utc(dict(r._mapping))) for r in rows],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )
