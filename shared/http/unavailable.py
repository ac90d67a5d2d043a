"""The database cannot be reached: 503 with `Retry-After`, in the error shape, not a 500.

While PostgreSQL is down, restarting, or out of connections, nothing is wrong with the request
nor with the code: the client should try again later, and a load balancer or a retrying client
reads exactly that from 503 + Retry-After. A 500 would page someone for a bug that is not there.

Which failures mean "unreachable" is decided narrowly, so that a real bug (a wrong column, a
constraint the code forgot) still answers 500 from the catch-all (shared.http.server_errors):
- SQLAlchemy's `OperationalError` (PEP 249: "errors related to the database's operation and not
  necessarily under the control of the programmer"), a DBAPI error on a connection SQLAlchemy
  found dead (`connection_invalidated`), and the pool's `TimeoutError` (every connection busy);
- asyncpg's own errors for it, which SQLAlchemy's asyncpg dialect wraps only as a generic
  `DBAPIError`: SQLSTATE class 08 (connection exception), 53 (insufficient resources: too many
  connections), 57P01-57P03 (shutting down, crashed, "cannot connect now" while starting);
- an `OSError` (connection refused, unknown host) or a timeout raised inside the driver while
  connecting: asyncpg raises those bare, SQLAlchemy passes them on unwrapped, so they are
  recognised by where they were raised. An `OSError` from anything else (writing an attachment)
  is not the database's and stays a 500.
"""

import logging
from collections.abc import Iterator
from types import TracebackType

import asyncpg.exceptions
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy import exc as sa_exc

from shared.http.errors import client_error

log = logging.getLogger("thidua.http")

# Seconds a client is told to wait: about what a PostgreSQL restart or a failover takes.
RETRY_AFTER_SECONDS = 5

_DRIVER_UNREACHABLE: tuple[type[BaseException], ...] = (
    asyncpg.exceptions.PostgresConnectionError,  # 08xxx, ConnectionDoesNotExistError among them
    asyncpg.exceptions.InsufficientResourcesError,  # 53xxx: TooManyConnectionsError...
    asyncpg.exceptions.AdminShutdownError,  # 57P01
    asyncpg.exceptions.CrashShutdownError,  # 57P02
    asyncpg.exceptions.CannotConnectNowError,  # 57P03: starting up, or in recovery
)

# Where a bare OSError or timeout must have been raised to be the database's.
_DRIVER_MODULES = ("asyncpg", "sqlalchemy", "aiosqlite")


def _chain(error: BaseException) -> Iterator[BaseException]:
    """The error, what it wraps (`orig`) and what caused it, each once."""
    seen: set[int] = set()
    pending: list[BaseException | None] = [error]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        orig = getattr(current, "orig", None)
        pending += [orig if isinstance(orig, BaseException) else None, current.__cause__]


def _raised_inside(traceback: TracebackType | None, modules: tuple[str, ...]) -> bool:
    while traceback is not None:
        module = str(traceback.tb_frame.f_globals.get("__name__", ""))
        if module.split(".", 1)[0] in modules:
            return True
        traceback = traceback.tb_next
    return False


def database_unavailable(error: BaseException) -> bool:
    """Whether `error` says the database cannot be reached now (not that the code is wrong)."""
    if isinstance(error, sa_exc.TimeoutError):
        return True  # the pool's: every connection busy for pool_timeout seconds
    if isinstance(error, sa_exc.DBAPIError):
        if error.connection_invalidated or isinstance(error, sa_exc.OperationalError):
            return True
        return any(isinstance(cause, _DRIVER_UNREACHABLE) for cause in _chain(error))
    if isinstance(error, OSError):  # TimeoutError (and asyncio's) is one since Python 3.11
        return _raised_inside(error.__traceback__, _DRIVER_MODULES)
    return False


def unavailable_response(*, busy: bool = False) -> JSONResponse:
    """503 with Retry-After; `busy`: the database is up, but every connection of this
    service's pool stayed taken (a burst of requests), which is not "unreachable"."""
    if busy:
        error = client_error(
            "database",
            "server_busy",
            # Not "unreachable": the pool's connections are taken, most often by a burst of
            # requests, also by connections waiting on a database too slow to answer.
            "Chưa có kết nối cơ sở dữ liệu nào rảnh: hệ thống đang bận hoặc cơ sở dữ liệu "
            f"trả lời chậm; vui lòng thử lại sau {RETRY_AFTER_SECONDS} giây",
            "No database connection came free in time (the service is busy, or the database "
            f"slow to answer); please retry in {RETRY_AFTER_SECONDS} seconds",
        )
    else:
        error = client_error(
            "database",
            "database_unavailable",
            "Cơ sở dữ liệu tạm thời không truy cập được; vui lòng thử lại sau "
            f"{RETRY_AFTER_SECONDS} giây",
            f"The database is temporarily unavailable; please retry in {RETRY_AFTER_SECONDS} "
            "seconds",
        )
    return JSONResponse(
        status_code=503,
        content={"errors": [error]},
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


async def _on_database_error(request: Request, error: Exception) -> JSONResponse:
    if not database_unavailable(error):
        # Not the database being away: a bug, for the catch-all to answer 500 and log.
        raise error
    # The pool's timeout: no connection came free in time (the database answers others).
    busy = isinstance(error, sa_exc.TimeoutError)
    # A warning, not an error: the database's own monitoring says why; one line per request.
    log.warning(
        "service busy: no database connection free" if busy else "database unavailable",
        extra={
            "status_code": 503,
            "method": request.method,
            "path": request.url.path,
            "reason": f"{type(error).__name__}: {error}"[:300],
        },
    )
    return unavailable_response(busy=busy)


def install_unavailable_handlers(app: FastAPI) -> None:
    for error_type in (sa_exc.DBAPIError, sa_exc.TimeoutError, OSError):
        app.add_exception_handler(error_type, _on_database_error)
