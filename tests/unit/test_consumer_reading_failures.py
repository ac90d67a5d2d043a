"""Reading a record touches nothing but the record, so whatever reading it raises is the
record's fault: parked with the reason, and the records after it applied. A reader's failure
other than MalformedEvent (a RecursionError on a record nested thousands deep, say) raised out
of the consumer's decoding; the poll failed and came back with it for ever, the consumer
jammed. On reporting's handlers (SQLite, no broker)."""

from typing import Any

import pytest

from services.reporting.bootstrap import define
from services.reporting.config import ReportingSettings
from services.reporting.tables import UnitView
from shared.messaging import consumer as consumer_module
from shared.messaging.cloudevents import from_record, to_record
from shared.messaging.dead_letters import IncomingRecord
from tests.unit.event_examples import NOW, federation, unit
from tests.unit.handler_harness import envelope, handlers_on_sqlite

REPORTING = define(
    ReportingSettings(database_url="sqlite+aiosqlite://", kafka_bootstrap_servers="127.0.0.1:1")
)


def _incoming(event: Any, offset: int) -> IncomingRecord:
    record = to_record(envelope(event, NOW))
    return IncomingRecord(record.topic, 0, offset, record.key, record.value, record.headers)


async def test_a_reader_failure_is_the_records_and_it_is_parked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    unreadable, readable = _incoming(federation(), 0), _incoming(unit(), 1)

    def reading(headers: Any, value: bytes, catalogue: Any) -> Any:
        if value == unreadable.value:
            raise RecursionError("maximum recursion depth exceeded")
        return from_record(headers, value, catalogue)

    monkeypatch.setattr(consumer_module, "from_record", reading)
    async with handlers_on_sqlite(REPORTING) as reporting:
        await reporting.consumer.consume_batch([unreadable, readable])

        [(record, reason, _)] = reporting.dead_letters.parked
        assert record is unreadable
        assert reason == "record could not be read: maximum recursion depth exceeded"
        assert [u.code for u in await reporting.rows(UnitView)] == ["PVGAS"]
