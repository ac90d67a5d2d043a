"""How a union officer in Vietnam reads dates, numbers and money (and, for a number, how an
English reader does): one formatter each, for the portal, the dashboard, the exports, the
notifications and the documents."""

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

# Re-exported: services read the campaign's zone here, beside the formatters.
from shared.contracts.campaign_day import VIETNAM_TIME as VIETNAM_TIME
from shared.contracts.vocabulary import Language


def format_date(value: date | datetime) -> str:
    """dd/mm/yyyy; a datetime is shown as the date it was in Vietnam."""
    if isinstance(value, datetime):
        value = value.astimezone(VIETNAM_TIME).date()
    return value.strftime("%d/%m/%Y")


def format_vnd(amount: int) -> str:
    """1200000000 -> '1.200.000.000 ₫' (dot as the thousands separator, as written in Vietnam)."""
    return f"{amount:,}".replace(",", ".") + " ₫"


_VIETNAMESE_SEPARATORS = str.maketrans(",.", ".,")


def format_number(
    value: Decimal | Fraction | int | float, places: int = 1, language: Language = "vi"
) -> str:
    """As the reader writes it: 2143 -> '2.143', 92.5 -> '92,5', 93.94 -> '93,9' in
    Vietnamese ('2,143', '92.5', '93.9' in English); at most `places` decimals, rounded half
    up, no trailing zeros."""
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    elif isinstance(value, float):
        value = Decimal(repr(value))  # the number as written, not its binary approximation
    rounded = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = f"{rounded:,.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in {"-0", ""}:
        text = "0"
    return text.translate(_VIETNAMESE_SEPARATORS) if language == "vi" else text
