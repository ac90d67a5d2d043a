"""How a union officer in Vietnam reads dates and money."""

from datetime import date, datetime, timedelta, timezone

# Vietnam keeps UTC+7 all year (no daylight saving), so a fixed offset needs no tz database.
VIETNAM_TIME = timezone(timedelta(hours=7), "ICT")


def format_date(value: date | datetime) -> str:
    """dd/mm/yyyy; a datetime is shown as the date it was in Vietnam."""
    if isinstance(value, datetime):
        value = value.astimezone(VIETNAM_TIME).date()
    return value.strftime("%d/%m/%Y")


def format_vnd(amount: int) -> str:
    """1200000000 -> '1.200.000.000 ₫' (dot as the thousands separator, as written in Vietnam)."""
    return f"{amount:,}".replace(",", ".") + " ₫"
