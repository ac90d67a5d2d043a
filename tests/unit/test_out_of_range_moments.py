"""A moment that no UTC timestamp can hold (9999-12-31T23:59:59-01:00 is in year 10000 in UTC;
0001-01-01T00:00:00+01:00 before year 1) is well-formed RFC 3339 and passed every check on
the way in, then failed where a handler stored it: the driver's conversion raised
StatementError(OverflowError 'date value out of range'), which the consumer judged unknown,
so the batch was tried three times, the consumer pausing 1 s and 2 s for all its topics, each
time one came (a black-box Kafka round: every consumer, ce_time and the data's times). It is
the data: parked at once with the reason; and a ce_time out of range is refused where the
record is read."""

from datetime import datetime, timedelta, timezone
from typing import Any
from uuid import uuid4

import pytest
from sqlalchemy import exc as sa

from services.reporting.bootstrap import define
from services.reporting.config import ReportingSettings
from shared.contracts import EVENT_TYPES
from shared.messaging.cloudevents import MalformedEvent, from_record, header_map, to_record
from shared.messaging.failures import Failure, classify
from tests.unit.event_examples import NOW, granted
from tests.unit.handler_harness import envelope, handlers_on_sqlite

REPORTING = define(
    ReportingSettings(database_url="sqlite+aiosqlite://", kafka_bootstrap_servers="127.0.0.1:1")
)
PAST_9999 = datetime(9999, 12, 31, 23, 59, 59, tzinfo=timezone(timedelta(hours=-1)))


def test_a_parameter_the_driver_cannot_convert_is_the_datas_fault() -> None:
    unconvertible = sa.StatementError(
        "date value out of range", "UPDATE awards …", {}, OverflowError("date value out of range")
    )
    assert classify(unconvertible) is Failure.permanent
    bad_value = sa.StatementError("x", "INSERT …", {}, ValueError("bad"))
    assert classify(bad_value) is Failure.permanent
    # A statement SQLAlchemy could not run for another reason stays unknown.
    assert classify(sa.StatementError("x", "SELECT …", {}, RuntimeError("a bug"))) is (
        Failure.unknown
    )


async def test_an_award_decided_past_year_9999_in_utc_is_parked_at_once() -> None:
    async with handlers_on_sqlite(REPORTING) as reporting:
        await reporting.deliver(envelope(granted("confirmed", at=PAST_9999), NOW))

        [(_, reason, _)] = reporting.dead_letters.parked
        assert reason == "date value out of range"
        retried = reporting.consumer._metrics.events_retried
        assert retried.labels(failure=Failure.unknown)._value.get() == 0


@pytest.mark.parametrize("moment", ["9999-12-31T23:59:59-01:00", "0001-01-01T00:00:00+01:00"])
def test_a_ce_time_no_utc_timestamp_holds_is_refused_where_it_is_read(moment: str) -> None:
    record = to_record(envelope(granted("confirmed"), NOW, uuid4()))
    headers: dict[str, Any] = header_map(record.headers) | {"ce_time": moment}
    with pytest.raises(MalformedEvent, match="ce_time is out of range"):
        from_record(headers, record.value, EVENT_TYPES)
