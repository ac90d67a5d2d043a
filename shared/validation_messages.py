"""Vietnamese for pydantic's error types, and one way to word an error with them: for the
API's 422s (shared.http.errors) and the campaign file's problems (shared.campaign.loader),
which had a catalogue each. English is pydantic's own message."""

import ast
from collections.abc import Mapping
from datetime import date
from types import MappingProxyType
from typing import Any

from shared.formatting import format_date, format_vnd

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
_INVALID = "Giá trị không hợp lệ"
_TIME = "Giờ không hợp lệ (định dạng HH:MM hoặc HH:MM:SS)"
_DURATION = "Khoảng thời gian không hợp lệ (định dạng ISO 8601, ví dụ P3D)"

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
        "value_error": _INVALID,
        "assertion_error": _INVALID,
        # The catalogue holds every type pydantic-core lists (tests/unit/
        # test_validation_findings.py checks it): a request field of a new kind (a URL, a set,
        # a decimal) then cannot bring pydantic's English back into `message_vi`.
        "url_type": "Phải là một địa chỉ URL",
        "url_parsing": "Địa chỉ URL không hợp lệ",
        "url_syntax_violation": "Địa chỉ URL không đúng cú pháp",
        "url_too_long": "Địa chỉ URL quá dài: tối đa {max_length} ký tự",
        "url_scheme": "Địa chỉ URL phải dùng giao thức {expected_schemes}",
        "uuid_version": "Mã định danh (UUID) phải là phiên bản {expected_version}",
        "string_not_ascii": "Chỉ được dùng ký tự ASCII (chữ không dấu, số, ký hiệu)",
        "int_parsing_size": "Số quá lớn",
        "multiple_of": "Phải là bội số của {multiple_of}",
        "decimal_max_digits": "Nhiều nhất {max_digits} chữ số",
        "decimal_max_places": "Nhiều nhất {decimal_places} chữ số sau dấu thập phân",
        "decimal_whole_digits": "Nhiều nhất {whole_digits} chữ số trước dấu thập phân",
        "complex_type": _NUMBER,
        "complex_str_parsing": _NUMBER,
        "none_required": "Phải để trống (null)",
        "date_past": "Phải là một ngày trong quá khứ",
        "date_future": "Phải là một ngày trong tương lai",
        "datetime_object_invalid": _MOMENT,
        "datetime_past": "Phải là một thời điểm trong quá khứ",
        "datetime_future": "Phải là một thời điểm trong tương lai",
        "timezone_naive": "Thời điểm không được kèm múi giờ",
        "timezone_offset": "Thời điểm phải theo múi giờ lệch {tz_expected} giây so với UTC",
        "time_type": _TIME,
        "time_parsing": _TIME,
        "time_delta_type": _DURATION,
        "time_delta_parsing": _DURATION,
        "bytes_type": "Phải là dữ liệu nhị phân",
        "bytes_too_short": "Quá ngắn: tối thiểu {min_length} byte",
        "bytes_too_long": "Quá dài: tối đa {max_length} byte",
        "bytes_invalid_encoding": "Dữ liệu không đúng mã hoá {encoding}",
        "invalid_key": "Tên trường phải là chuỗi ký tự",
        "set_type": _LIST,
        "frozen_set_type": _LIST,
        "deque_type": _LIST,
        "iterable_type": _LIST,
        "iteration_error": _LIST,
        "named_tuple_type": _LIST,
        "set_item_not_hashable": "Các phần tử phải là giá trị đơn (chuỗi ký tự, số)",
        "mapping_type": _OBJECT,
        "frozen_dict_type": _OBJECT,
        "ordered_dict_type": _OBJECT,
        "counter_type": _OBJECT,
        "dataclass_type": _OBJECT,
        "dataclass_exact_type": _OBJECT,
        "recursion_loop": "Dữ liệu có tham chiếu vòng",
        "recursion_depth_exceeded": "Dữ liệu lồng nhau quá sâu",
        "frozen_field": "Trường này không được thay đổi",
        "frozen_instance": "Không được thay đổi giá trị này",
        "default_factory_not_called": "Chưa tính được giá trị mặc định vì có trường khác sai",
        # Errors of Python-side checks (a function's arguments, an attribute, a class) that a
        # request's JSON does not reach; worded all the same, should one ever be shown.
        "no_such_attribute": _INVALID,
        "needs_python_object": _INVALID,
        "get_attribute_error": _INVALID,
        "missing_sentinel_error": _INVALID,
        "ellipsis_error": _INVALID,
        "is_instance_of": _INVALID,
        "is_subclass_of": _INVALID,
        "callable_type": _INVALID,
        "arguments_type": _INVALID,
        "missing_argument": _INVALID,
        "unexpected_keyword_argument": _INVALID,
        "missing_keyword_only_argument": _INVALID,
        "unexpected_positional_argument": _INVALID,
        "missing_positional_only_argument": _INVALID,
        "multiple_argument_values": _INVALID,
    }
)

# The errors whose context names pydantic's English list of the accepted values, by the
# context's key.
_CHOICES = {"enum": "expected", "literal_error": "expected", "url_scheme": "expected_schemes"}


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


def _as_read(name: str, value: Any, *, money: bool = False) -> Any:
    """A bound that is a day (pydantic's context gives it in ISO: "2099-12-31") as the reader
    writes one, 31/12/2099; one that is an amount (`money`: the context's currency is VND,
    shared.contracts.bounds.Vnd) as 1.000.000.000.000.000 ₫."""
    if name in _BOUNDS and money and isinstance(value, int):
        return format_vnd(value)
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
    given = error.get("ctx") or {}
    money = given.get("currency") == "VND"
    context = {name: _as_read(name, value, money=money) for name, value in given.items()}
    listed = _CHOICES.get(error["type"])
    if listed is not None and isinstance(context.get(listed), str):
        context[listed] = vietnamese_choices(context[listed])
    try:
        return template.format(**context)
    except (KeyError, IndexError):
        return template
