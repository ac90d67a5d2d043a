"""A date or an amount of money as a union officer in Vietnam types it, read back: one reader
each, for the portal's forms and the import sheets' cells (the other way of
`shared.formatting`). Each raises `Unreadable` with why, and the caller words it for where the
text was typed (a form field, a cell)."""

import re
from datetime import date
from typing import Literal

Why = Literal["format", "no_such_day", "negative", "decimal"]


class Unreadable(ValueError):
    def __init__(self, why: Why) -> None:
        super().__init__(why)
        self.why: Why = why


_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
# ISO, and the midnight an Excel or ISO date-time text may carry after it.
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]00:00(?::00(?:\.0+)?)?)?")


def read_date(text: str) -> date:
    """'05/04/2022' (also 5/4/2022, 05-04-2022, 05.04.2022) or ISO '2022-04-05'."""
    text = text.strip()
    if match := _DAY_MONTH_YEAR.fullmatch(text):
        day, month, year = (int(part) for part in match.groups())
    elif match := _ISO.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
    else:
        raise Unreadable("format")
    try:
        return date(year, month, day)
    except ValueError:
        raise Unreadable("no_such_day") from None


# The currency written after an amount: as shared.formatting.format_vnd writes it (₫), or in
# words, with or without a full stop.
_CURRENCY = re.compile(r"(?:₫|vnd|vnđ|đồng|đ|dong|d)\.?$", re.IGNORECASE)
# Thousands grouped by one separator throughout: 1.200.000 (Vietnamese) or 1,200,000; or none.
_WHOLE = re.compile(r"\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*|\d+")
_DECIMAL = re.compile(r"[\d.,]*\d[.,]\d+")
# No amount anyone types is this long (the largest the contracts take has 16 digits); Python
# refuses to read a number of more than 4,300 digits, which must not become a 500.
_DIGITS_READ = 100


def read_vnd(text: str) -> int:
    """A whole number of đồng: '1.200.000.000', '1 200 000 000 ₫', '1,200,000,000 VND' or
    '1200000000' -> 1200000000."""
    compact = _CURRENCY.sub("", "".join(text.split()))  # any spaces, a no-break one too
    if len(compact) > _DIGITS_READ:
        raise Unreadable("format")
    if compact.startswith(("-", "−", "(")):
        raise Unreadable("negative")
    compact = compact.removeprefix("+")
    if _WHOLE.fullmatch(compact):
        return int(re.sub(r"[.,]", "", compact))
    raise Unreadable("decimal" if _DECIMAL.fullmatch(compact) else "format")
