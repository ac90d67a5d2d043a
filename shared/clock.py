"""The campaign's clock: the one place the services learn what time it is.

Domain code never reads the wall: a `Clock` is passed in (through `app.state.clock`, a
consumer's handler, a function argument), so the same code runs a real year, a simulated
one (the demo plays 2022 on its own calendar) and a test frozen on a given day.

`THIDUA_CLOCK_TODAY=2022-11-15` makes every service of a process start as if it were that
day in Vietnam and move on with real time from there (a shifted clock); unset, the clock is
the system's.

`THIDUA_CLOCK_FILE=.run/clock` (development only: `make run` sets it, nothing else should)
makes the day a file's content, read again whenever the file changes: the demo year's player
(`deploy/demo/year.py`) writes 2022-02-16, then 2022-03-01, … 2022-11-15 into it, and every
service of the stack stamps what it does (a council's decision, a phase's close) with the day
the story has reached, while they all keep running.
"""

import logging
import os
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Protocol

from shared.formatting import VIETNAM_TIME

TODAY_VARIABLE = "THIDUA_CLOCK_TODAY"
FILE_VARIABLE = "THIDUA_CLOCK_FILE"

log = logging.getLogger(__name__)


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


class FileClock:
    """Today is the day written in a file (YYYY-MM-DD), from 08:00 in Vietnam at the moment the
    file was written, running at the wall's pace from there; a missing or unreadable file is
    the system's clock. Development only: whoever may write the file moves every service's
    calendar.

    Every service of a stack reads the same file, so they agree on the day; the file is read
    again only when its modification time, size or inode change (one `stat` per reading of the
    clock), so a writer replacing it atomically (`write_day`) moves them all at once."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._seen: tuple[int, int, int] | None = None
        self._start: datetime | None = None  # 08:00 of the file's day, as UTC
        self._written = 0.0  # when the file was written, wall seconds

    def now(self) -> datetime:
        wall = time.time()
        try:
            status = self._path.stat()
        except OSError:
            return datetime.fromtimestamp(wall, UTC)
        seen = (status.st_mtime_ns, status.st_size, status.st_ino)
        if seen != self._seen:
            self._seen, self._start = seen, self._read()
            self._written = status.st_mtime
        if self._start is None:
            return datetime.fromtimestamp(wall, UTC)
        # Never before the day's 08:00, however the file's time and the wall compare.
        return self._start + timedelta(seconds=max(0.0, wall - self._written))

    def _read(self) -> datetime | None:
        try:
            day = date.fromisoformat(self._path.read_text("utf-8").strip())
        except (OSError, ValueError) as error:
            log.warning(
                "the clock file %s is unreadable (%s): the system's clock", self._path, error
            )
            return None
        return datetime(day.year, day.month, day.day, 8, tzinfo=VIETNAM_TIME).astimezone(UTC)


def write_day(path: Path, day: date) -> None:
    """Set a `FileClock`'s day: written beside and renamed over, so that no reader ever sees a
    half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    partial.write_text(f"{day.isoformat()}\n", "utf-8")
    os.replace(partial, path)


def read_day(path: Path) -> date | None:
    """The day a clock file holds, if it holds one."""
    try:
        return date.fromisoformat(path.read_text("utf-8").strip())
    except (OSError, ValueError):
        return None


def clock_from_environment() -> Clock:
    """The system's clock; a file's (`THIDUA_CLOCK_FILE`, development); or a shifted one when
    `THIDUA_CLOCK_TODAY` names a day. Both set is refused: which one wins would be a guess."""
    value = os.environ.get(TODAY_VARIABLE, "").strip()
    file = os.environ.get(FILE_VARIABLE, "").strip()
    if file and value:
        raise ValueError(f"set {TODAY_VARIABLE} or {FILE_VARIABLE}, not both")
    if file:
        log.warning("the campaign's clock reads its day from %s (development only)", file)
        return FileClock(Path(file))
    if not value:
        return SystemClock()
    try:
        return ShiftedClock(date.fromisoformat(value))
    except ValueError as error:
        raise ValueError(f"{TODAY_VARIABLE} must be a date as YYYY-MM-DD, not {value!r}") from error
