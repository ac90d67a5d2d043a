"""W3C trace context: one correlation id from an HTTP request through every event it causes.

The trace id of the `traceparent` header is the correlation id. Each hop (an HTTP request,
each event published, each event consumed) gets a span id of its own and keeps the trace id.
"""

import random
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

_TRACEPARENT = re.compile(r"^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$")


@dataclass(frozen=True)
class TraceContext:
    trace_id: str
    span_id: str

    @classmethod
    def new(cls) -> "TraceContext":
        return cls(trace_id=_random_hex(128), span_id=_random_hex(64))

    @classmethod
    def parse(cls, traceparent: str | None) -> "TraceContext | None":
        """The context a valid `traceparent` carries, or None for a missing or invalid one."""
        match = _TRACEPARENT.match((traceparent or "").strip().lower())
        if not match or set(match.group(1)) == {"0"} or set(match.group(2)) == {"0"}:
            return None
        return cls(trace_id=match.group(1), span_id=match.group(2))

    def child(self) -> "TraceContext":
        return TraceContext(trace_id=self.trace_id, span_id=_random_hex(64))

    @property
    def traceparent(self) -> str:
        return f"00-{self.trace_id}-{self.span_id}-01"


def _random_hex(bits: int) -> str:
    """A random id, never all zeros (invalid in W3C trace context). Not a secret: drawn as
    OpenTelemetry's RandomIdGenerator draws them (random.getrandbits), as secrets' token
    cost a system call per id, a tenth of a consumer's time per event."""
    value = 0
    while value == 0:
        value = random.getrandbits(bits)
    return f"{value:0{bits // 4}x}"


_current: ContextVar[TraceContext | None] = ContextVar("thidua_trace", default=None)
_current_event_id: ContextVar[str | None] = ContextVar("thidua_event_id", default=None)


def current_trace() -> TraceContext | None:
    return _current.get()


def current_event_id() -> str | None:
    return _current_event_id.get()


def outgoing_traceparent() -> str:
    """The `traceparent` for a message published now: a child of the current span."""
    parent = _current.get()
    return (parent.child() if parent else TraceContext.new()).traceparent


@contextmanager
def trace_scope(
    incoming_traceparent: str | None, event_id: str | None = None
) -> Iterator[TraceContext]:
    """Continue the incoming trace (or start one) for the duration of a request or message."""
    parent = TraceContext.parse(incoming_traceparent)
    context = parent.child() if parent else TraceContext.new()
    trace_token = _current.set(context)
    event_token = _current_event_id.set(event_id)
    try:
        yield context
    finally:
        _current.reset(trace_token)
        _current_event_id.reset(event_token)
