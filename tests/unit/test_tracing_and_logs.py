import json
import logging

from shared.logs import JsonLines
from shared.messaging.tracing import TraceContext, outgoing_traceparent, trace_scope

INCOMING = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


def test_an_incoming_traceparent_is_continued_with_a_new_span() -> None:
    with trace_scope(INCOMING) as trace:
        assert trace.trace_id == "4bf92f3577b34da6a3ce929d0e0e4736"
        assert trace.span_id != "00f067aa0ba902b7"
        published = TraceContext.parse(outgoing_traceparent())
    assert published is not None
    assert published.trace_id == trace.trace_id


def test_an_invalid_traceparent_starts_a_new_trace() -> None:
    for bad in ("", "garbage", "00-" + "0" * 32 + "-00f067aa0ba902b7-01"):
        assert TraceContext.parse(bad) is None
        with trace_scope(bad) as trace:
            assert len(trace.trace_id) == 32


def test_log_lines_are_json_with_the_correlation_and_event_ids() -> None:
    record = logging.LogRecord("t", logging.INFO, __file__, 1, "đã áp dụng", None, None)
    record.topic = "thidua.initiatives.v1"
    with trace_scope(INCOMING, event_id="e-1"):
        line = json.loads(JsonLines("reporting").format(record))
    assert line["correlation_id"] == "4bf92f3577b34da6a3ce929d0e0e4736"
    assert line["event_id"] == "e-1"
    assert line["message"] == "đã áp dụng"
    assert line["service"] == "reporting"
    assert line["topic"] == "thidua.initiatives.v1"
