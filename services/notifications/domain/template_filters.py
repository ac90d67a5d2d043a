"""The filters notification templates use, and the Jinja2 environment that has them.

`ngay` (dd/mm/yyyy; a datetime is shown as its date in Vietnam time, a naive one is taken as
UTC), `gio` (hh:mm in Vietnam time), `vnd` (1.200.000.000 ₫), `so` (87,5 in Vietnamese, 87.5 in
English; thousands grouped). A value a template reads and the context lacks fails loudly
(StrictUndefined), never a blank.
"""

from datetime import UTC, date, datetime
from decimal import Decimal

from jinja2 import Environment, StrictUndefined, Undefined
from jinja2.runtime import Context
from jinja2.utils import pass_context

from shared.contracts.vocabulary import Language
from shared.formatting import VIETNAM_TIME, format_date, format_number, format_vnd


def _fail_if_undefined(value: object) -> None:
    if isinstance(value, Undefined):
        value._fail_with_undefined_error()


def _as_instant(value: object, filter_name: str) -> date:
    _fail_if_undefined(value)
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value) if len(value) == 10 else datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{filter_name}: not an ISO date or datetime: {value!r}") from None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return value
    raise TypeError(f"{filter_name}: expected a date or datetime, got {type(value).__name__}")


def ngay(value: object) -> str:
    """dd/mm/yyyy; a datetime as the date it was in Vietnam (a naive one is UTC)."""
    return format_date(_as_instant(value, "ngay"))


def gio(value: object) -> str:
    """hh:mm of a datetime in Vietnam time (a naive one is UTC)."""
    instant = _as_instant(value, "gio")
    if not isinstance(instant, datetime):
        raise TypeError("gio: expected a datetime, got a date")
    return instant.astimezone(VIETNAM_TIME).strftime("%H:%M")


def _number(value: object, filter_name: str) -> int | float | Decimal:
    _fail_if_undefined(value)
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise TypeError(f"{filter_name}: expected a number, got {type(value).__name__}")
    return value


def vnd(value: object) -> str:
    """1200000000 -> '1.200.000.000 ₫' (whole đồng)."""
    amount = _number(value, "vnd")
    if amount != int(amount):
        raise ValueError(f"vnd: an amount is in whole đồng, got {amount}")
    return format_vnd(int(amount))


@pass_context
def so(context: Context, value: object, digits: int = 2) -> str:
    """A number as the reader writes it: 1.234,5 in Vietnamese, 1,234.5 in English; at most
    `digits` decimals, no trailing zeros (shared.formatting.format_number)."""
    language: Language = "vi" if context.get("language") == "vi" else "en"
    return format_number(_number(value, "so"), digits, language)


def jinja_environment(*, autoescape: bool) -> Environment:
    environment = Environment(
        autoescape=autoescape,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters.update(ngay=ngay, gio=gio, vnd=vnd, so=so)
    return environment
