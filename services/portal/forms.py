"""What an officer types, turned into what the API takes; the API's errors, put by the fields.

The portal converts only what is written differently on a Vietnamese form (dates as
dd/mm/yyyy, money as 1.200.000.000, decimals with a comma). Every other check is the API's.
When a value cannot be converted, the raw text is sent anyway, so that the API still refuses
the request (with everything else it finds), and the portal words that field's error.
"""

import json
import math
import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any, Generic, TypeVar

from services.portal.client import ApiError
from services.portal.i18n import Translator
from shared.parsing import Unreadable, read_date, read_vnd

Typed = TypeVar("Typed")


def parse_date_vn(text: str) -> date | None:
    """'05/04/2022' (as `shared.parsing.read_date` reads it, as the sheets do) or None."""
    try:
        return read_date(text)
    except Unreadable:
        return None


def parse_vnd(text: str) -> int | None:
    """'1.200.000.000 ₫' (as `shared.parsing.read_vnd` reads it, as the sheets do) or None."""
    try:
        return read_vnd(text)
    except Unreadable:
        return None


def parse_number(text: str) -> float | None:
    """'85', '85,5', '85.5' or '85 %' -> a float; None if it is not a number. Past a float's
    range (309 digits) `float` gives inf, which no JSON body can carry (a 500 of the form): not
    a number either, so it is sent as typed and refused like any other."""
    text = text.strip().rstrip("%").strip().replace(",", ".")
    try:
        number = float(text) if re.fullmatch(r"-?\d+(?:\.\d+)?", text) else None
    except ValueError:
        return None
    return number if number is not None and math.isfinite(number) else None


def parse_int(text: str) -> int | None:
    """'70' or '70 %' -> 70; None for anything else. ASCII digits only ("²" is a digit to
    `str.isdigit` and not to `int`), and no more than any count has: past Python's 4,300
    digits `int` raises, which was a 500 of the form."""
    text = text.strip().rstrip("%").strip()
    readable = text.isascii() and text.isdigit() and len(text) <= _DIGITS_READ
    return int(text) if readable else None


# A share, a size or any count typed in a form has far fewer digits (the largest count the
# tables hold, INT64's, has 19).
_DIGITS_READ = 30


def idempotency_key(data: Mapping[str, Any], name: str = "key") -> str:
    """The Idempotency-Key of a form that creates something: the uuid4 the page wrote into its
    hidden input `name` when it showed the form, or a fresh one in place of anything else.

    Anything else was not written by our page (a crafted or mangled post) and is not sent on:
    it goes into a request header, where non-ASCII text failed to encode (a 500) and NUL or a
    line break was taken for a broken service (a 503). Replaced, not refused: the input is
    hidden, so an error beside it is one the person can neither see nor correct, and a fresh
    key only gives up the protection against a double submission that a form our page never
    showed did not have. The form shown again (after the API refused it) carries the new key,
    so a second attempt from it is deduplicated as usual."""
    sent = data.get(name)
    if isinstance(sent, str):
        try:
            parsed = uuid.UUID(sent)
        except ValueError:
            parsed = None
        # uuid.UUID also reads braces, a urn: prefix, capitals and missing hyphens; only the
        # canonical text str(uuid.uuid4()) writes is ours.
        if parsed is not None and parsed.version == 4 and str(parsed) == sent:
            return sent
    return str(uuid.uuid4())


@dataclass(frozen=True)
class FieldError:
    """An error to show by the form field `field` ("" for the form as a whole)."""

    field: str
    message_vi: str
    message_en: str
    code: str = ""


def typed_values(data: Mapping[str, Any]) -> dict[str, str]:
    """What was typed in a posted form (its text fields; files left out), to read and to show
    again."""
    return {str(k): str(v) for k, v in data.items() if isinstance(v, str)}


class FormErrors:
    """The errors of one form, by field, in both languages (the page picks one)."""

    def __init__(self, items: list[FieldError] | None = None, fields: set[str] | None = None):
        self.items: list[FieldError] = list(items or [])
        # The fields the page shows; an error on another field is listed above the form.
        self.fields = fields

    def __bool__(self) -> bool:
        return bool(self.items)

    def add(self, field: str, message_vi: str, message_en: str, code: str = "") -> None:
        self.items.append(FieldError(field, message_vi, message_en, code))

    def add_words(self, field: str, key: str, **values: Any) -> None:
        """An error of the portal's own, from the i18n key `key`."""
        self.add(field, Translator("vi")(key, **values), Translator("en")(key, **values))

    def for_field(self, field: str) -> list[FieldError]:
        return [item for item in self.items if item.field == field]

    def general(self) -> list[FieldError]:
        """Errors that belong to no field shown on the page."""
        return [
            item
            for item in self.items
            if not item.field or (self.fields is not None and item.field not in self.fields)
        ]

    def reword(self, field: str, key: str) -> None:
        """Word the errors of `field` as the portal's own (a value it could not convert and
        sent as typed, so that the API refused it), from the i18n key `key`."""
        at = next((i for i, item in enumerate(self.items) if item.field == field), None)
        if at is None:
            return
        own = FieldError(field, Translator("vi")(key), Translator("en")(key), self.items[at].code)
        others = [item for item in self.items if item.field != field]
        self.items = [*others[:at], own, *others[at:]]

    def word_unreadable(self, names: Iterable[str]) -> None:
        """Each of `names` (numbers the portal could not read, sent as typed) refused in the
        portal's words: the API's error on it reworded, or added where the API stopped before
        it (a refusal of the whole form)."""
        for name in names:
            if self.for_field(name):
                self.reword(name, "input.number_invalid")
            else:
                self.add_words(name, "input.number_invalid")

    def to_json(self) -> str:
        return json.dumps([asdict(item) for item in self.items], ensure_ascii=False)

    @classmethod
    def from_json(cls, text: object, fields: set[str] | None = None) -> "FormErrors":
        """Errors carried in a hidden input across a language switch (display only)."""
        try:
            raw: Any = json.loads(text) if isinstance(text, str) and text else []
            items = [
                FieldError(
                    str(i["field"]), str(i["message_vi"]), str(i["message_en"]), str(i["code"])
                )
                for i in raw
            ]
        except (ValueError, TypeError, KeyError):
            items = []
        return cls(items, fields)

    @classmethod
    def on_switch(cls, data: Mapping[str, Any], fields: set[str]) -> "FormErrors | None":
        """A post that only switches the language shows the same form again and sends nothing:
        then the errors the form showed, carried across; None for a post that submits."""
        if not data.get("_lang"):
            return None
        return cls.from_json(data.get("_errors"), fields)

    @classmethod
    def from_api(
        cls, errors: list[ApiError], to_field: Any, fields: set[str] | None = None
    ) -> "FormErrors":
        """The API's errors, each put by the form field `to_field(api_field)` names."""
        return cls(
            [FieldError(to_field(e.field), e.message_vi, e.message_en, e.code) for e in errors],
            fields,
        )

    @classmethod
    def on_field(cls, errors: list[ApiError], field: str) -> "FormErrors":
        """The API's errors, all beside the one field `field` (a row's reason box, the file)."""
        return cls.from_api(errors, lambda _: field, {field})


@dataclass(frozen=True)
class FormRefusal:
    """A page's form that was refused (by the API, or by the portal before sending), shown
    again: what was typed, the errors beside its fields, and the status the page answers with
    (the API's, so that a client sees the refusal too)."""

    typed: dict[str, str]
    errors: FormErrors
    status_code: int


def form_shown(
    refused: FormRefusal | None, *, form: dict[str, str], errors: FormErrors
) -> dict[str, Any]:
    """What a page renders its form with: the refused form as it was typed, its errors and
    its status, or else `form` and `errors` (a fresh form) with 200."""
    if refused is None:
        return {"form": form, "errors": errors, "status_code": 200}
    return {"form": refused.typed, "errors": refused.errors, "status_code": refused.status_code}


@dataclass(frozen=True)
class RowRefusal(Generic[Typed]):
    """A row's action that the API refused (a case resolved, an initiative returned, an award
    decided, a registration sent, a contact edited), shown again in its row: which row, the
    errors, and what was typed in it."""

    row_id: str
    errors: FormErrors
    typed: Typed
