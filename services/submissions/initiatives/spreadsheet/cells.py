"""The initiatives sheet's cell parsers: each turns one raw cell (text, or a typed Excel date
or number) into its field's value, or raises `InvalidCell` with the reason in Vietnamese and
English. `PARSERS` gives each column's parser."""

import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime

from services.submissions.initiatives.spreadsheet.layout import (
    AUTHOR_FORMAT,
    AUTHORS_EXAMPLE,
    FIELD_LABELS_VI,
)
from services.submissions.spreadsheet_reading import UnreadableError, cell_text, fold
from services.submissions.units.spreadsheet import CODE_PATTERN
from shared.contracts.vocabulary import InitiativeField
from shared.parsing import Unreadable, read_date, read_vnd

# A field is read by its code and its names in the vocabulary (the template's drop-down writes
# the Vietnamese one), and by the shorter names officers write; all compared after fold.
_SHORT_NAMES = {
    InitiativeField.occupational_safety: ("an toan", "an toan lao dong", "atvsld"),
}
_FIELD_BY_NAME = {
    fold(name): field
    for field in InitiativeField
    for name in (field.value, field.label_vi, field.label_en, *_SHORT_NAMES.get(field, ()))
}
_YES = frozenset({"co", "x", "yes", "y", "true", "1", "bao mat", "mat"})
_NO = frozenset({"khong", "no", "n", "false", "0"})


class InvalidCell(UnreadableError):
    """A cell that cannot become its field's value; the row gets this error."""


def _refuse_date(value: object) -> None:
    """A text column refuses a typed date cell."""
    if isinstance(value, datetime | date):
        raise InvalidCell(
            "text_expected", "Phải là chữ, không phải ngày", "Must be text, not a date"
        )


def _line(value: object) -> str | None:
    """A one-line text cell, cleaned as the units sheet cleans its cells."""
    _refuse_date(value)
    return cell_text(value) or None


def _paragraphs(value: object) -> str | None:
    """A long text cell: NFC, spaces collapsed within each line, the line breaks kept."""
    if value is None:
        return None
    _refuse_date(value)
    text = unicodedata.normalize("NFC", str(value)).replace("\r\n", "\n").replace("\r", "\n")
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() or None


def _unit_code(value: object) -> str | None:
    text = _line(value)
    if text is None:
        return None
    code = text.upper()  # officers type codes in any case; the tree knows them in upper case
    if re.fullmatch(CODE_PATTERN, code):
        return code
    raise InvalidCell(
        "code_format",
        f"Mã đơn vị “{text}” không hợp lệ: chỉ gồm chữ in hoa không dấu (A-Z), chữ số và dấu "
        "gạch ngang",
        f"Unit code “{text}” is invalid: only letters A-Z, digits and hyphens",
    )


def _field(value: object) -> InitiativeField | None:
    text = _line(value)
    if text is None:
        return None
    found = _FIELD_BY_NAME.get(fold(text))
    if found is None:
        raise InvalidCell(
            "unknown_field",
            f"Lĩnh vực “{text}” không hợp lệ; chấp nhận: {', '.join(FIELD_LABELS_VI.values())}",
            f"Unknown field “{text}”; accepted: {', '.join(InitiativeField)}",
        )
    return found


def _date(value: object) -> date | None:
    if isinstance(value, datetime):  # an Excel date cell
        return value.date()
    if isinstance(value, date):
        return value
    text = cell_text(value)
    if not text:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise InvalidCell(
            "date_format",
            f"Ngày “{text}” không hợp lệ: ô đang ở dạng số; hãy ghi ngày/tháng/năm, ví dụ "
            "15/03/2022, hoặc định dạng ô kiểu ngày",
            f"Date “{text}” is invalid: the cell is a number; write day/month/year, "
            "e.g. 15/03/2022, or format the cell as a date",
        )
    try:
        return read_date(text)
    except Unreadable as unreadable:
        if unreadable.why == "no_such_day":
            raise InvalidCell(
                "date_invalid",
                f"Ngày “{text}” không tồn tại (ngày/tháng/năm)",
                f"Date “{text}” does not exist (day/month/year)",
            ) from None
        raise InvalidCell(
            "date_format",
            f"Ngày “{text}” không hợp lệ: hãy ghi ngày/tháng/năm, ví dụ 15/03/2022",
            f"Date “{text}” is invalid: write day/month/year, e.g. 15/03/2022",
        ) from None


def _amount(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool | datetime | date):
        raise _not_an_amount(cell_text(value))
    if isinstance(value, int | float):
        if value < 0:
            raise _negative(cell_text(value))
        if isinstance(value, float) and not value.is_integer():
            raise _decimal(cell_text(value))
        return int(value)  # bounded by the schema (bounds.VND_MAX), as the API bounds it
    text = cell_text(value)
    if not text:
        return None
    try:
        return read_vnd(text)
    except Unreadable as unreadable:
        refused = {"negative": _negative, "decimal": _decimal}.get(unreadable.why, _not_an_amount)
        raise refused(text) from None


def _negative(text: str) -> InvalidCell:
    return _benefit(text, "negative_amount", "không được âm", "cannot be negative")


def _decimal(text: str) -> InvalidCell:
    return _benefit(
        text,
        "decimal_amount",
        "phải là số đồng nguyên, không có phần lẻ (ví dụ 1.200.000.000)",
        "must be a whole number of đồng, without decimals (e.g. 1,200,000,000)",
    )


def _not_an_amount(text: str) -> InvalidCell:
    return _benefit(
        text,
        "amount_format",
        "không phải là số tiền: ghi số đồng, ví dụ 1.200.000.000",
        "is not an amount: write the number of đồng, e.g. 1,200,000,000",
    )


def _benefit(text: str, code: str, what_vi: str, what_en: str) -> InvalidCell:
    return InvalidCell(
        code, f"Giá trị làm lợi “{text}” {what_vi}", f"The benefit “{text}” {what_en}"
    )


def _confidential(value: object) -> bool | None:
    if isinstance(value, bool):
        return value
    text = _line(value)
    if text is None:
        return None  # the schema's default: not confidential
    folded = fold(text)
    if folded in _YES:
        return True
    if folded in _NO:
        return False
    raise InvalidCell(
        "confidential_format",
        f"Giá trị “{text}” không hợp lệ cho cột Bảo mật: ghi Có hoặc Không (để trống là Không)",
        f"“{text}” is not valid for Confidential: write yes or no (empty means no)",
    )


_AUTHOR_SEPARATOR = re.compile(r"[;\n\r]+")
_SHARE = re.compile(r"(\d+(?:[.,]\d+)?)\s*%?")


def _authors(value: object) -> list[dict[str, object]] | None:
    """`MÃ: Họ và tên: 70%; MÃ: Họ và tên: 30%`, one author per `;` or line."""
    if value is None:
        return None
    if isinstance(value, datetime | date | int | float):
        raise _author_format(cell_text(value), None)
    raw = unicodedata.normalize("NFC", str(value))
    entries = [" ".join(part.split()) for part in _AUTHOR_SEPARATOR.split(raw)]
    entries = [entry for entry in entries if entry]
    if not entries:
        return None
    authors: list[dict[str, object]] = []
    for position, entry in enumerate(entries, start=1):
        which = position if len(entries) > 1 else None
        parts = [part.strip() for part in entry.split(":")]
        if len(parts) not in (2, 3) or not parts[0] or not parts[1]:
            raise _author_format(entry, which)
        member_id, full_name = parts[0], parts[1]
        if len(parts) == 2 or not parts[2]:
            if len(entries) > 1:
                raise InvalidCell(
                    "share_missing",
                    f"Tác giả thứ {position} ({member_id}) thiếu tỷ lệ đóng góp: khi có nhiều "
                    f"tác giả, ghi tỷ lệ của từng người theo dạng {AUTHOR_FORMAT}",
                    f"Author {position} ({member_id}) has no share: with several authors, "
                    f"give each one's share as {AUTHOR_FORMAT}",
                )
            share = 100  # a single author owns the whole initiative
        else:
            match = _SHARE.fullmatch(parts[2])
            if match is None:
                raise _author_format(entry, which)
            if not match.group(1).isdigit():
                raise InvalidCell(
                    "share_not_integer",
                    f"Tỷ lệ đóng góp “{parts[2]}” của {member_id} phải là số nguyên phần trăm",
                    f"The share “{parts[2]}” of {member_id} must be a whole percentage",
                )
            share = int(match.group(1))
        authors.append({"member_id": member_id, "full_name": full_name, "share_percent": share})
    return authors


def _author_format(entry: str, position: int | None) -> InvalidCell:
    which_vi = f"Tác giả thứ {position}" if position else "Tác giả"
    which_en = f"Author {position}" if position else "The author"
    return InvalidCell(
        "author_format",
        f"{which_vi} “{entry}” không đúng dạng {AUTHOR_FORMAT}, ví dụ {AUTHORS_EXAMPLE}",
        f"{which_en} “{entry}” is not written as {AUTHOR_FORMAT} (code:full name:share%), "
        f"e.g. {AUTHORS_EXAMPLE}",
    )


PARSERS: dict[str, Callable[[object], object]] = {
    "title": _line,
    "unit_code": _unit_code,
    "field": _field,
    "problem": _paragraphs,
    "solution": _paragraphs,
    "novelty": _paragraphs,
    "first_applied_on": _date,
    "expected_benefit_vnd": _amount,
    "measured_benefit_vnd": _amount,
    "other_benefits": _paragraphs,
    "confidential": _confidential,
    "authors": _authors,
    "received_on": _date,
}
# The columns read as a date and as an amount (the template formats their cells so).
DATE_COLUMNS = tuple(name for name, parse in PARSERS.items() if parse is _date)
AMOUNT_COLUMNS = tuple(name for name, parse in PARSERS.items() if parse is _amount)
