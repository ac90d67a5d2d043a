"""Why applying an event failed, and so what the consumer does about it.

- transient: the world, not the record (a connection lost, a timeout, a serialization
  failure or a deadlock, the database starting or shutting down). Retried with backoff for as
  long as it lasts: a database down for an hour must not dead-letter an hour of events.
- permanent: the record itself is refused (data the handler or the database rejects: a value
  out of range, a string too long, a broken constraint). Applying it again cannot succeed, so
  it is isolated from its batch and parked on the dead-letter topic with the reason.
- unknown: anything else (most likely a bug), and a unique violation (most likely a race with
  another replica). Retried a few times, in case it is transient after all, then parked like a
  permanent one, so that one bug does not stop the service.
"""

from enum import StrEnum

from sqlalchemy import exc as sa

from shared.messaging.dead_letters import bounded_reason


class Failure(StrEnum):
    transient = "transient"
    permanent = "permanent"
    unknown = "unknown"


class Refused(ValueError):
    """Raised by a handler for an event it can never apply (a domain refusal)."""


# PostgreSQL's SQLSTATE classes (Appendix A of its manual), by what retrying can do.
_TRANSIENT_CLASSES = frozenset(
    {
        "08",  # connection exception
        "40",  # transaction rollback: serialization failure, deadlock detected
        "53",  # insufficient resources (too many connections, disk full)
        "57",  # operator intervention: admin shutdown, cannot connect now, query canceled
        "58",  # system error (I/O)
    }
)
_PERMANENT_CLASSES = frozenset(
    {
        "22",  # data exception: numeric value out of range, string data right truncation,
        #        invalid byte sequence (a NUL in text), invalid datetime
        "23",  # integrity constraint violation: not null, unique, check, foreign key
    }
)


# A unique violation is seldom the record's own fault, since the handlers upsert: it is a race,
# another replica inserting the same row between this one's read and its insert (two scoring
# replicas handling one phase's first close), and a retry reads that row. Given a few tries,
# as an unknown failure is, then parked: judged permanent, the record was parked at once.
_RACES = frozenset({"23505"})


def classify(error: BaseException) -> Failure:
    if isinstance(error, sa.DBAPIError):
        if error.connection_invalidated:
            return Failure.transient
        state = _sqlstate(error.orig)
        if state in _RACES:
            return Failure.unknown
        if state is not None:
            if state[:2] in _TRANSIENT_CLASSES:
                return Failure.transient
            if state[:2] in _PERMANENT_CLASSES:
                return Failure.permanent
            return Failure.unknown  # 42: a missing column is a deployment's bug, not the data's
        if isinstance(error, sa.DataError | sa.IntegrityError):
            return Failure.permanent
        if isinstance(error, sa.OperationalError | sa.InterfaceError):
            return Failure.transient  # SQLite's "database is locked", a closed connection
        return Failure.unknown
    if isinstance(error, sa.StatementError) and isinstance(error.orig, ValueError | OverflowError):
        # A parameter converted before anything was sent (a time whose UTC instant is past
        # year 9999: 'date value out of range'): the data, never the world. Judged unknown, it
        # was tried three times, pausing the whole consumer, before it was parked.
        return Failure.permanent
    if isinstance(error, sa.TimeoutError | sa.DisconnectionError):
        return Failure.transient  # the connection pool: none free in time, one went stale
    if isinstance(error, OSError | TimeoutError):
        return Failure.transient  # ConnectionError and socket errors are OSErrors
    if isinstance(error, ValueError):
        # Refused, pydantic's ValidationError and a handler's own value checks: the data.
        return Failure.permanent
    return Failure.unknown


def _sqlstate(origin: BaseException | None) -> str | None:
    # asyncpg's errors (as SQLAlchemy's adapter keeps them) carry `sqlstate`; psycopg's `pgcode`.
    for candidate in (origin, getattr(origin, "__cause__", None)):
        for name in ("sqlstate", "pgcode"):
            state = getattr(candidate, name, None)
            if isinstance(state, str) and len(state) == 5:
                return state
    return None


def error_class(error: BaseException) -> str:
    """The error's class as a dead-letter header names it (`sqlalchemy.exc.DataError`)."""
    return f"{type(error).__module__}.{type(error).__qualname__}"


def describe(error: BaseException) -> str:
    """The reason parked with a record: the error's first line (the driver's own message
    when SQLAlchemy wraps it), bounded (`bounded_reason`: a 900 KB title must not come back
    inside a Kafka header)."""
    origin = getattr(error, "orig", None) or error
    lines = str(origin).strip().splitlines()
    return bounded_reason(lines[0] if lines else type(origin).__name__)
