"""What the consumer makes of each failure (shared.messaging.failures): retry while the world
is at fault, park when the record is, and give an unknown failure a few tries."""

import pytest
from pydantic import BaseModel, ValidationError
from sqlalchemy import exc as sa

from shared.messaging.failures import Failure, Refused, classify, describe, error_class


class DriverError(Exception):
    """What asyncpg's errors look like once SQLAlchemy's adapter wraps them."""

    def __init__(self, sqlstate: str, message: str = "driver said no") -> None:
        super().__init__(message)
        self.sqlstate = sqlstate


def wrapped(kind: type[sa.DBAPIError], sqlstate: str, message: str = "no") -> sa.DBAPIError:
    return kind("INSERT …", {}, DriverError(sqlstate, message))


@pytest.mark.parametrize(
    ("sqlstate", "expected"),
    [
        ("22003", Failure.permanent),  # numeric value out of range: a bigint sum overflowing
        ("22001", Failure.permanent),  # string data right truncation: a 900 KB title
        ("22021", Failure.permanent),  # invalid byte sequence: a NUL byte in text
        ("23505", Failure.unknown),  # unique violation: a race with another replica, mostly
        ("23503", Failure.permanent),  # foreign key violation
        ("23514", Failure.permanent),  # check violation
        ("40001", Failure.transient),  # serialization failure
        ("40P01", Failure.transient),  # deadlock detected
        ("08006", Failure.transient),  # connection failure
        ("57P01", Failure.transient),  # admin shutdown
        ("57P03", Failure.transient),  # cannot connect now (starting up)
        ("53300", Failure.transient),  # too many connections
        ("42703", Failure.unknown),  # undefined column: a migration missing, not the data
    ],
)
def test_a_database_error_is_judged_by_its_sqlstate(sqlstate: str, expected: Failure) -> None:
    assert classify(wrapped(sa.DBAPIError, sqlstate)) is expected


def test_without_a_sqlstate_the_wrapper_class_decides() -> None:
    bare = Exception("no code")
    assert classify(sa.DataError("x", {}, bare)) is Failure.permanent
    assert classify(sa.IntegrityError("x", {}, bare)) is Failure.permanent
    assert classify(sa.OperationalError("x", {}, bare)) is Failure.transient
    assert classify(sa.ProgrammingError("x", {}, bare)) is Failure.unknown


def test_a_connection_invalidated_mid_statement_is_transient_whatever_it_says() -> None:
    error = wrapped(sa.DBAPIError, "22003")
    error.connection_invalidated = True
    assert classify(error) is Failure.transient


def test_errors_outside_the_database() -> None:
    class Strict(BaseModel):
        n: int

    with pytest.raises(ValidationError) as invalid:
        Strict.model_validate({"n": "x"})
    assert classify(ConnectionRefusedError()) is Failure.transient
    assert classify(TimeoutError()) is Failure.transient
    assert classify(sa.TimeoutError()) is Failure.transient  # no pooled connection in time
    assert classify(Refused("a unit that does not exist")) is Failure.permanent
    assert classify(invalid.value) is Failure.permanent
    assert classify(RuntimeError("a bug")) is Failure.unknown
    assert classify(AttributeError("a bug")) is Failure.unknown


def test_the_parked_reason_is_the_drivers_first_line_and_bounded() -> None:
    error = wrapped(sa.DataError, "22001", "value too long for type character varying(300)\nX")
    assert describe(error) == "value too long for type character varying(300)"
    assert error_class(error) == "sqlalchemy.exc.DataError"
    huge = describe(ValueError("t" * 900_000))
    assert len(huge) == 500 and huge.endswith("...")
