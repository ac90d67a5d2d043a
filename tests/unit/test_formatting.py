from datetime import UTC, date, datetime

from shared.formatting import format_date, format_vnd


def test_dates_are_written_day_month_year() -> None:
    assert format_date(date(2022, 6, 30)) == "30/06/2022"


def test_a_timestamp_is_shown_as_the_date_it_was_in_vietnam() -> None:
    # 18:30 UTC on 30 June is already 1 July in Hà Nội (UTC+7).
    assert format_date(datetime(2022, 6, 30, 18, 30, tzinfo=UTC)) == "01/07/2022"


def test_vnd_amounts_use_dots_between_thousands() -> None:
    assert format_vnd(1_200_000_000) == "1.200.000.000 ₫"
    assert format_vnd(0) == "0 ₫"
