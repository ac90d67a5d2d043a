"""The clocks of shared.clock that the environment chooses: the file's (make run's demo year)
and the shifted one."""

import os
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from shared.clock import (
    FILE_VARIABLE,
    TODAY_VARIABLE,
    FileClock,
    ShiftedClock,
    SystemClock,
    clock_from_environment,
    read_day,
    today,
    write_day,
)
from shared.formatting import VIETNAM_TIME


def eight_oclock(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 8, tzinfo=VIETNAM_TIME)


def test_a_file_clock_is_at_the_files_day_and_follows_it_when_it_changes(tmp_path: Path) -> None:
    path = tmp_path / "clock"
    write_day(path, date(2022, 2, 16))
    clock = FileClock(path)
    assert today(clock) == date(2022, 2, 16)
    # From 08:00 of that day, as long as the file was written a moment ago.
    assert timedelta(0) <= clock.now() - eight_oclock(date(2022, 2, 16)) < timedelta(minutes=1)
    write_day(path, date(2022, 7, 15))
    assert today(clock) == date(2022, 7, 15)
    assert read_day(path) == date(2022, 7, 15)


def test_a_file_clock_runs_on_from_when_the_file_was_written(tmp_path: Path) -> None:
    path = tmp_path / "clock"
    write_day(path, date(2022, 11, 15))
    three_hours_ago = datetime.now(UTC).timestamp() - 3 * 3600
    os.utime(path, (three_hours_ago, three_hours_ago))
    elapsed = FileClock(path).now() - eight_oclock(date(2022, 11, 15))
    assert timedelta(hours=3) <= elapsed < timedelta(hours=3, minutes=1)


def test_two_clocks_on_one_file_agree(tmp_path: Path) -> None:
    """What makes the stack's services agree on the day: the time comes from the file."""
    path = tmp_path / "clock"
    write_day(path, date(2022, 6, 30))
    first, second = FileClock(path), FileClock(path)
    assert abs(first.now() - second.now()) < timedelta(seconds=1)


@pytest.mark.parametrize("content", [None, "", "15/11/2022", "not a day"])
def test_a_file_clock_without_a_readable_day_is_the_systems(
    tmp_path: Path, content: str | None
) -> None:
    path = tmp_path / "clock"
    if content is not None:
        path.write_text(content)
    assert abs(FileClock(path).now() - datetime.now(UTC)) < timedelta(seconds=5)
    assert read_day(path) is None


def test_write_day_replaces_the_file_whole(tmp_path: Path) -> None:
    path = tmp_path / "run" / "clock"
    write_day(path, date(2022, 3, 1))
    write_day(path, date(2022, 3, 15))
    assert path.read_text() == "2022-03-15\n"
    assert [p.name for p in path.parent.iterdir()] == ["clock"]  # no partial file left


def test_the_environment_chooses_the_clock(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(TODAY_VARIABLE, raising=False)
    monkeypatch.delenv(FILE_VARIABLE, raising=False)
    assert isinstance(clock_from_environment(), SystemClock)
    monkeypatch.setenv(TODAY_VARIABLE, "2022-06-25")
    shifted = clock_from_environment()
    assert isinstance(shifted, ShiftedClock) and today(shifted) == date(2022, 6, 25)
    monkeypatch.setenv(FILE_VARIABLE, str(tmp_path / "clock"))
    with pytest.raises(ValueError, match="not both"):
        clock_from_environment()
    monkeypatch.delenv(TODAY_VARIABLE)
    write_day(tmp_path / "clock", date(2022, 11, 15))
    from_file = clock_from_environment()
    assert isinstance(from_file, FileClock) and today(from_file) == date(2022, 11, 15)
    monkeypatch.setenv(TODAY_VARIABLE, "25/06/2022")
    monkeypatch.delenv(FILE_VARIABLE)
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        clock_from_environment()
