"""How the campaign file's models report what is wrong with them.

A model's validator collects every problem it finds in a `Problems` and raises them together
as one `ValidationError`, each with the location of the value at fault (pydantic prefixes the
location of the enclosing model), so `phases[1].starts_on` is reported, not just `phases`.
"""

from collections.abc import Iterable
from datetime import date
from typing import Any

from pydantic import ValidationError
from pydantic_core import InitErrorDetails, PydanticCustomError

from shared.campaign.messages import CHECK_MESSAGES, REFERENCE_LABELS_VI

Location = tuple[str | int, ...]


class Problems:
    """Collects the problems of one model so that all of them are reported at once."""

    def __init__(self, title: str) -> None:
        self._title = title
        self._errors: list[InitErrorDetails] = []

    def add(self, location: Location, error: str, value: Any, **context: Any) -> None:
        """Record `error` (a key of `CHECK_MESSAGES`) for `value` found at `location`."""
        if error == "unknown_reference":
            context["what_vi"] = REFERENCE_LABELS_VI[context["what"]]
        english, _ = CHECK_MESSAGES[error]
        self._errors.append(
            InitErrorDetails(
                type=PydanticCustomError(error, english, context), loc=location, input=value
            )
        )

    def raise_if_any(self) -> None:
        if self._errors:
            raise ValidationError.from_exception_data(self._title, self._errors)


def _where(collection: str, index: int, field: str) -> str:
    return f"{collection}[{index}].{field}"


def check_unique(
    problems: Problems, collection: str, values: Iterable[Any], field: str = "code"
) -> None:
    first_index: dict[Any, int] = {}
    for index, value in enumerate(values):
        if value in first_index:
            code, context = (
                ("duplicate_number", {"number": value})
                if field == "number"
                else ("duplicate_code", {"code": value})
            )
            problems.add(
                (collection, index, field),
                code,
                value,
                first=_where(collection, first_index[value], field),
                **context,
            )
        else:
            first_index[value] = index


def check_reference(
    problems: Problems, location: Location, code: str, known: Iterable[str], what: str
) -> None:
    known = list(known)
    if code not in known:
        problems.add(
            location, "unknown_reference", code, what=what, code=code, known=", ".join(known)
        )


def check_ends_after_start(problems: Problems, starts_on: date, ends_on: date) -> None:
    """A period's (a phase's) last day must not come before its first."""
    if ends_on < starts_on:
        problems.add(
            ("ends_on",), "ends_before_start", ends_on, starts_on=starts_on, ends_on=ends_on
        )
