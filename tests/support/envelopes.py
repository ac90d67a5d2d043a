"""An event as a consumer receives it, for the tests that hand events to handlers directly."""

from datetime import datetime
from typing import Any
from uuid import uuid4

from shared.messaging.cloudevents import Envelope

TRACE = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


def at(data: Any, time: datetime) -> Envelope[Any]:
    """`data` in an envelope of its own, sent at `time` (a trace context of its own)."""
    return Envelope(id=uuid4(), source="test", time=time, subject="t", traceparent=TRACE, data=data)
