"""A date or an amount is read one way (`shared.parsing`) by the portal's forms and by the
initiatives sheet: the same text gives the same value, or is refused by both. The two had a
reader each, and they had drifted: the form refused '+1.200.000' and '2022-4-5', the sheet
'1.200.000 đ.'."""

from datetime import date

import pytest

from services.portal.forms import parse_date_vn, parse_int, parse_vnd
from services.submissions.initiatives.spreadsheet.cells import PARSERS, InvalidCell
from shared.parsing import Unreadable, read_date, read_vnd

AMOUNTS = {
    "1.200.000.000": 1_200_000_000,
    "1,200,000,000": 1_200_000_000,
    "1200000000": 1_200_000_000,
    "1 200 000 000 ₫": 1_200_000_000,
    "1\u00a0200\u00a0000 VND": 1_200_000,
    "420.000.000 ₫": 420_000_000,  # as every page and export writes it
    "1.200.000 đ.": 1_200_000,
    "+1.200.000": 1_200_000,
    "5 triệu": None,
    "1.200,000": None,  # two separators: not one grouping
    "1.2": None,
    "-5": None,
    "9" * 5_000: None,  # past Python's 4,300-digit limit: refused, not a 500
}
DATES = {
    "05/04/2022": date(2022, 4, 5),
    "5/4/2022": date(2022, 4, 5),
    "05-04-2022": date(2022, 4, 5),
    "05.04.2022": date(2022, 4, 5),
    " 2022-04-05 ": date(2022, 4, 5),
    "2022-4-5": date(2022, 4, 5),
    "31/02/2022": None,
    "2022/04/05": None,
    "05/04/22": None,
}


def _sheet(column: str, text: str) -> object:
    try:
        return PARSERS[column](text)
    except InvalidCell:
        return None


@pytest.mark.parametrize(("text", "amount"), AMOUNTS.items(), ids=lambda v: str(v)[:20])
def test_the_form_and_the_sheet_read_an_amount_alike(text: str, amount: int | None) -> None:
    assert parse_vnd(text) == amount
    assert _sheet("expected_benefit_vnd", text) == amount


@pytest.mark.parametrize(("text", "day"), DATES.items(), ids=str)
def test_the_form_and_the_sheet_read_a_date_alike(text: str, day: date | None) -> None:
    assert parse_date_vn(text) == day
    assert _sheet("received_on", text) == day


@pytest.mark.parametrize(
    ("text", "why"),
    [("-1.000", "negative"), ("(1.000)", "negative"), ("1.000,5", "decimal"), ("abc", "format")],
)
def test_an_amount_refused_says_why(text: str, why: str) -> None:
    with pytest.raises(Unreadable) as refused:
        read_vnd(text)
    assert refused.value.why == why


def test_a_day_that_does_not_exist_is_told_from_a_text_that_is_no_date() -> None:
    with pytest.raises(Unreadable) as no_such_day:
        read_date("30/02/2022")
    with pytest.raises(Unreadable) as not_a_date:
        read_date("hôm qua")
    assert (no_such_day.value.why, not_a_date.value.why) == ("no_such_day", "format")


@pytest.mark.parametrize(
    ("text", "number"), [("70", 70), (" 70 % ", 70), ("²", None), ("7a", None), ("9" * 5_000, None)]
)
def test_a_forms_whole_number_is_read_or_left_to_the_api(text: str, number: int | None) -> None:
    """An author's share typed as "²" or 5,000 digits raised ValueError in the portal (a 500);
    unread, the text goes to the API, which refuses it naming the field."""
    assert parse_int(text) == number
