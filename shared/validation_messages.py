"""Vietnamese for pydantic's error types, and one way to word an error with them: for the
API's 422s (shared.http.errors) and the campaign file's problems (shared.campaign.loader),
which had a catalogue each. English is pydantic's own message."""

import ast
from collections.abc import Mapping
from datetime import date
from types import MappingProxyType
from typing import Any

from shared.formatting import format_date

_DATE = "Ngày không hợp lệ (định dạng YYYY-MM-DD)"
_MOMENT = "Thời điểm không hợp lệ (định dạng ISO 8601)"
_WHOLE = "Phải là số nguyên"
_NUMBER = "Phải là một số"
_BOOLEAN = "Phải là true hoặc false"
_OBJECT = "Phải là một đối tượng JSON"
_LIST = "Phải là một danh sách"
_UUID = "Mã định danh (UUID) không hợp lệ"
_FRACTION = 'Phải là phân số, ví dụ "2/3"'
_CHOICE = "Giá trị không hợp lệ; chấp nhận: {expected}"

PYDANTIC_VI: Mapping[str, str] = MappingProxyType(
    {
        "missing": "Thiếu trường bắt buộc",
        "extra_forbidden": "Trường không được phép",
        "string_type": "Phải là chuỗi ký tự",
        "string_unicode": "Phải là chuỗi ký tự Unicode hợp lệ",
        "string_too_short": "Quá ngắn: tối thiểu {min_length} ký tự",
        "string_too_long": "Quá dài: tối đa {max_length} ký tự",
        "string_pattern_mismatch": "Không đúng định dạng",
        "too_short": "Cần ít nhất {min_length} phần tử",
        "too_long": "Nhiều nhất {max_length} phần tử",
        "int_type": _WHOLE,
        "int_parsing": _WHOLE,
        "int_from_float": _WHOLE,
        "float_type": _NUMBER,
        "float_parsing": _NUMBER,
        "decimal_type": _NUMBER,
        "decimal_parsing": _NUMBER,
        "finite_number": "Phải là một số hữu hạn",
        "fraction_type": _FRACTION,
        "fraction_parsing": _FRACTION,
        "greater_than": "Phải lớn hơn {gt}",
        "greater_than_equal": "Phải lớn hơn hoặc bằng {ge}",
        "less_than": "Phải nhỏ hơn {lt}",
        "less_than_equal": "Phải nhỏ hơn hoặc bằng {le}",
        "bool_type": _BOOLEAN,
        "bool_parsing": _BOOLEAN,
        "date_type": _DATE,
        "date_parsing": _DATE,
        "date_from_datetime_parsing": _DATE,
        "date_from_datetime_inexact": "Chỉ ghi ngày, không ghi giờ (định dạng YYYY-MM-DD)",
        "datetime_type": _MOMENT,
        "datetime_parsing": _MOMENT,
        "datetime_from_date_parsing": _MOMENT,
        "timezone_aware": "Thời điểm phải kèm múi giờ (ví dụ +07:00 hoặc Z)",
        "uuid_type": _UUID,
        "uuid_parsing": _UUID,
        "json_invalid": "Nội dung JSON không hợp lệ",
        "json_type": "Phải là nội dung JSON",
        "model_type": _OBJECT,
        "model_attributes_type": _OBJECT,
        "dict_type": _OBJECT,
        "list_type": _LIST,
        "tuple_type": _LIST,
        "enum": _CHOICE,
        "literal_error": _CHOICE,
        "union_tag_invalid": "Loại '{tag}' không hợp lệ; chấp nhận: {expected_tags}",
        "union_tag_not_found": "Thiếu trường '{discriminator}' cho biết loại",
        "value_error": "Giá trị không hợp lệ",
    }
)

# The errors whose context "expected" is pydantic's English list of the accepted values.
_CHOICES = ("enum", "literal_error")


def vietnamese_choices(expected: str) -> str:
    """pydantic's list of accepted values ("'pending', 'sent' or 'uncertain'") the Vietnamese
    way ("… hoặc 'uncertain'"). The context holds only that text, each value written as a
    Python literal: the last " or " is the one whose two sides read as a list of literals,
    so that an " or " inside a value ("'a or b'") stays; values that are no literals (an
    enum member's `<Color.red: 'red'>`) have their last " or " replaced."""
    at = len(expected)
    while (at := expected.rfind(" or ", 0, at)) >= 0:
        left, right = expected[:at], expected[at + len(" or ") :]
        try:
            ast.literal_eval(f"({left}, {right},)")
        except (SyntaxError, ValueError, TypeError):
            continue
        return f"{left} hoặc {right}"
    left, joined, right = expected.rpartition(" or ")
    return f"{left} hoặc {right}" if joined else expected


_BOUNDS = frozenset({"ge", "gt", "le", "lt"})


def _as_read(name: str, value: Any) -> Any:
    """A bound that is a day (pydantic's context gives it in ISO: "2099-12-31") as the reader
    writes one, 31/12/2099."""
    if name in _BOUNDS and isinstance(value, str):
        try:
            return format_date(date.fromisoformat(value))
        except ValueError:
            return value
    return value


def message_vi(error: Mapping[str, Any], catalogue: Mapping[str, str] = PYDANTIC_VI) -> str:
    """The error in Vietnamese: its type's sentence from `catalogue`, filled from its context
    (left unfilled where the context lacks a value); pydantic's English where the type has
    no sentence."""
    template = catalogue.get(error["type"])
    if template is None:
        return str(error["msg"])
    context = {name: _as_read(name, value) for name, value in (error.get("ctx") or {}).items()}
    if error["type"] in _CHOICES and isinstance(context.get("expected"), str):
        context["expected"] = vietnamese_choices(context["expected"])
    try:
        return template.format(**context)
    except (KeyError, IndexError):
        return template
