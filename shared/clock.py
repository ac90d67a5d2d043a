"""The campaign's clock: the one place the services learn what time it is.

Domain code never reads the wall: a `Clock` is passed in (through `app.state.clock`, a
consumer's handler, a function argument), so the same code runs a real year, a simulated
one (the demo plays 2022 on its own calendar) and a test frozen on a given day.

`THIDUA_CLOCK_TODAY=2022-11-15` makes every service of a process start as if it were that
day in Vietnam and move on with real time from there (a shifted clock); unset, the clock is
the system's.
"""

import os
import time
from datetime import UTC, date, datetime, timedelta
from typing import Protocol

from shared.formatting import VIETNAM_TIME

TODAY_VARIABLE = "THIDUA_CLOCK_TODAY"


class Clock(Protocol):
    def now(self) -> datetime:
        """An aware UTC datetime."""
        ...


def today(clock: Clock) -> date:
    """The clock's date in Vietnam, where the campaign's days begin and end."""
    return clock.now().astimezone(VIETNAM_TIME).date()


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """Stands still at `at` until moved: tests and replays."""

    def __init__(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("a clock's time must be timezone-aware")
        self._at = at

    def now(self) -> datetime:
        return self._at

    def move_to(self, at: datetime) -> None:
        self._at = at

    def advance(self, by: timedelta) -> None:
        self._at += by


class ShiftedClock:
    """Starts at 08:00 of `day` in Vietnam and runs at the wall's pace from there.

    Measured with a monotonic clock, so the wall being set back does not move it."""

    def __init__(self, day: date) -> None:
        self._start = datetime(day.year, day.month, day.day, 8, tzinfo=VIETNAM_TIME).astimezone(UTC)
        self._origin = time.monotonic()

    def now(self) -> datetime:
        return self._start + timedelta(seconds=time.monotonic() - self._origin)


def clock_from_environment() -> Clock:
    """The system's clock, or a shifted one when `THIDUA_CLOCK_TODAY` names a day."""
    value = os.environ.get(TODAY_VARIABLE, "").strip()
    if not value:
        return SystemClock()
    try:
        return ShiftedClock(date.fromisoformat(value))
    except ValueError as error:
        raise ValueError(f"{TODAY_VARIABLE} must be a date as YYYY-MM-DD, not {value!r}") from error
