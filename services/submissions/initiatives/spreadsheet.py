"""Read initiatives from the spreadsheets officers already keep (XLSX or CSV), real authors and all.

An officer imports the initiatives of their unit in bulk; each initiative keeps the authors and
shares written in the sheet, not the officer who imports it. The file is taken as it is, as the
units sheet is (both read through `services.submissions.spreadsheet_reading`):
Vietnamese or English headers, a title row above them, CSV with `;` or `,`, with or without a BOM.
Every bad row is reported with the row number the officer sees, in Vietnamese and English, and the
good rows are still returned; only a file that cannot be read at all raises `SpreadsheetError`.

Each row is validated by building the HTTP schema `InitiativeCreate` from it, so an imported
initiative obeys exactly the rules of one submitted through the API (shares sum to 100, no author
twice, first applied not in the future, lengths); pydantic's errors become `RowError`s through
the same bilingual translation as the API's 422 responses.
"""

import io
import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, get_args

import openpyxl
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import ErrorDetails
from pydantic_core.core_schema import ErrorType

from services.submissions.initiatives.schemas import InitiativeCreate, InitiativeField
from services.submissions.spreadsheet_reading import (
    MAX_FILE_BYTES,
    Records,
    SheetLayout,
    SpreadsheetError,
    read_records,
)
from services.submissions.spreadsheet_reading import cell_text as _text
from services.submissions.spreadsheet_reading import fold as _fold
from services.submissions.units.spreadsheet import CODE_PATTERN, RowError
from shared.http.errors import _translate

__all__ = [
    "FIELDS",
    "FIELD_LABELS_VI",
    "HEADERS_EN",
    "HEADERS_VI",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "REQUIRED_COLUMNS",
    "InitiativeRow",
    "ParsedInitiatives",
    "RowError",
    "SpreadsheetError",
    "parse_initiatives",
    "template_xlsx",
]

# One import is one unit's (or one affiliated union's) list; the whole federation aims at 2,000
# initiatives a year.
MAX_ROWS = 5_000
# The amounts are stored as BIGINT.
MAX_AMOUNT_VND = 2**63 - 1

FIELDS = (
    "title",
    "unit_code",
    "field",
    "problem",
    "solution",
    "novelty",
    "first_applied_on",
    "expected_benefit_vnd",
    "measured_benefit_vnd",
    "other_benefits",
    "confidential",
    "authors",
    "received_on",
)
REQUIRED_COLUMNS = ("title", "unit_code", "field", "problem", "solution", "authors")
HEADERS_VI = {
    "title": "Tên sáng kiến",
    "unit_code": "Mã đơn vị",
    "field": "Lĩnh vực",
    "problem": "Thực trạng",
    "solution": "Giải pháp",
    "novelty": "Điểm mới",
    "first_applied_on": "Ngày áp dụng",
    "expected_benefit_vnd": "Giá trị làm lợi (đồng)",
    "measured_benefit_vnd": "Giá trị làm lợi thực tế (đồng)",
    "other_benefits": "Lợi ích khác",
    "confidential": "Bảo mật",
    "authors": "Tác giả",
    "received_on": "Ngày nhận",
}
HEADERS_EN = {
    "title": "Title",
    "unit_code": "Unit code",
    "field": "Field",
    "problem": "Problem",
    "solution": "Solution",
    "novelty": "Novelty",
    "first_applied_on": "First applied on",
    "expected_benefit_vnd": "Expected benefit (VND)",
    "measured_benefit_vnd": "Measured benefit (VND)",
    "other_benefits": "Other benefits",
    "confidential": "Confidential",
    "authors": "Authors",
    "received_on": "Received on",
}
# Compared after _fold: lower case, no diacritics or punctuation ("Tên sáng kiến (*)" matches).
_HEADER_ALIASES = {
    "title": ("title", "initiative", "ten sang kien", "ten giai phap", "ten de tai"),
    "unit_code": ("unit code", "unit", "ma don vi", "ma cong doan"),
    "field": ("field", "linh vuc", "linh vuc ap dung"),
    "problem": (
        "problem",
        "thuc trang",
        "van de",
        "van de can giai quyet",
        "thuc trang van de can giai quyet",
    ),
    "solution": ("solution", "giai phap", "giai phap thuc hien", "noi dung giai phap"),
    "novelty": ("novelty", "diem moi", "tinh moi", "diem moi so voi truoc day"),
    "first_applied_on": (
        "first applied on",
        "first applied",
        "ngay ap dung",
        "ngay ap dung lan dau",
        "ngay ap dung thu",
        "ngay ap dung dd mm yyyy",
    ),
    "expected_benefit_vnd": (
        "expected benefit vnd",
        "expected benefit",
        "gia tri lam loi",
        "gia tri lam loi dong",
        "gia tri lam loi vnd",
        "gia tri lam loi vnd",
        "gia tri lam loi du kien",
        "gia tri lam loi du kien dong",
        "gia tri lam loi du kien vnd",
    ),
    "measured_benefit_vnd": (
        "measured benefit vnd",
        "measured benefit",
        "gia tri lam loi thuc te",
        "gia tri lam loi thuc te dong",
        "gia tri lam loi thuc te vnd",
    ),
    "other_benefits": ("other benefits", "loi ich khac", "hieu qua khac"),
    "confidential": ("confidential", "bao mat", "mat"),
    "authors": (
        "authors",
        "author",
        "tac gia",
        "tac gia dong tac gia",
        "nhom tac gia",
        "tac gia ty le dong gop",
    ),
    "received_on": (
        "received on",
        "date received",
        "ngay nhan",
        "ngay nhan ho so",
        "ngay nhan sang kien",
        "ngay nhan dd mm yyyy",
    ),
}

FIELD_LABELS_VI = {
    InitiativeField.technical: "Kỹ thuật",
    InitiativeField.management: "Quản lý",
    InitiativeField.occupational_safety: "An toàn vệ sinh lao động",
    InitiativeField.environment: "Môi trường",
    InitiativeField.digital_transformation: "Chuyển đổi số",
    InitiativeField.other: "Khác",
}
# Compared after _fold: "occupational_safety" folds to "occupational safety".
_FIELD_ALIASES = {
    InitiativeField.technical: ("ky thuat", "technical"),
    InitiativeField.management: ("quan ly", "management"),
    InitiativeField.occupational_safety: (
        "an toan ve sinh lao dong",
        "an toan",
        "an toan lao dong",
        "atvsld",
        "occupational safety",
    ),
    InitiativeField.environment: ("moi truong", "environment"),
    InitiativeField.digital_transformation: (
        "chuyen doi so",
        "digital transformation",
    ),
    InitiativeField.other: ("khac", "other"),
}
_FIELD_BY_NAME = {alias: f for f, names in _FIELD_ALIASES.items() for alias in names}
_YES = frozenset({"co", "x", "yes", "y", "true", "1", "bao mat", "mat"})
_NO = frozenset({"khong", "no", "n", "false", "0"})

AUTHOR_FORMAT = "MÃ:Họ và tên:Tỷ lệ%"
AUTHORS_EXAMPLE = "PVGAS-0012: Nguyễn Văn An: 70%; PVGAS-0047: Trần Thị Bích Ngọc: 30%"
EXAMPLE_ROW: dict[str, object] = {
    "title": "Cải tiến quy trình kiểm tra rò rỉ khí tại trạm phân phối",
    "unit_code": "PVGAS",
    "field": FIELD_LABELS_VI[InitiativeField.technical],
    "problem": "Việc kiểm tra rò rỉ khí tại trạm phân phối làm thủ công, mất 4 giờ mỗi ca.",
    "solution": "Lắp cảm biến đo nồng độ khí và cảnh báo tự động qua phần mềm giám sát.",
    "novelty": "Lần đầu áp dụng cảm biến không dây tại đơn vị.",
    "first_applied_on": date(2022, 3, 15),
    "expected_benefit_vnd": 1_200_000_000,
    "measured_benefit_vnd": None,
    "other_benefits": "Giảm nguy cơ cháy nổ, giảm giờ làm việc trong khu vực nguy hiểm.",
    "confidential": "Không",
    "authors": AUTHORS_EXAMPLE,
    "received_on": date(2022, 3, 18),
}


class InitiativeRow(BaseModel):
    """One initiative as the file gives it, valid as if it had been submitted through the API."""

    model_config = ConfigDict(frozen=True)

    row: int = Field(ge=1, description="Row number in the sheet, as the officer sees it.")
    initiative: InitiativeCreate


class ParsedInitiatives(BaseModel):
    model_config = ConfigDict(frozen=True)

    rows: list[InitiativeRow]
    errors: list[RowError]


def parse_initiatives(
    data: bytes, filename: str, *, campaign_code: str | None = None
) -> ParsedInitiatives:
    """The initiatives in an uploaded XLSX or CSV file, and what is wrong with each bad row.

    Rows come back in the file's order. `campaign_code`, when given, is set on every initiative;
    otherwise `InitiativeCreate`'s default applies. Whether the unit codes and member ids exist is
    for the caller to check: this reads and validates the file alone.
    """
    rows: list[InitiativeRow] = []
    errors: list[RowError] = []
    first_row: dict[tuple[str, str], int] = {}  # (unit, folded title) -> first row
    for number, cells in _read(data, filename):
        initiative, row_errors = _check_row(number, cells, campaign_code)
        if initiative is not None:
            key = (initiative.unit_code, _fold(initiative.title))
            if key in first_row:
                row_errors.append(
                    RowError(
                        row=number,
                        field="title",
                        code="duplicate_initiative",
                        message_vi=f"Trùng với dòng {first_row[key]}: cùng tên sáng kiến và "
                        "mã đơn vị",
                        message_en=f"Same as row {first_row[key]}: same title and unit code",
                    )
                )
            else:
                first_row[key] = number
        if row_errors:
            errors.extend(sorted(row_errors, key=lambda e: _ORDER.get(e.field, len(FIELDS))))
        elif initiative is not None:
            rows.append(InitiativeRow(row=number, initiative=initiative))
    return ParsedInitiatives(rows=rows, errors=errors)


def template_xlsx() -> bytes:
    """An initiatives sheet with the Vietnamese headers and an example row, plus a guide sheet."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Danh sách sáng kiến"
    sheet.append([HEADERS_VI[field] for field in FIELDS])
    sheet.append([EXAMPLE_ROW[field] for field in FIELDS])
    widths = {"title": 50, "problem": 60, "solution": 60, "novelty": 40, "authors": 60}
    for index, field in enumerate(FIELDS, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = widths.get(field, 24)
        header = sheet.cell(row=1, column=index)
        header.font = Font(bold=True)
        header.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.cell(row=2, column=index).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    for field in ("first_applied_on", "received_on"):
        sheet[f"{get_column_letter(FIELDS.index(field) + 1)}2"].number_format = "DD/MM/YYYY"
    for field in ("expected_benefit_vnd", "measured_benefit_vnd"):
        sheet[f"{get_column_letter(FIELDS.index(field) + 1)}2"].number_format = "#,##0"
    last = MAX_ROWS + 1
    for field, choices, title in (
        ("field", FIELD_LABELS_VI.values(), "Lĩnh vực không hợp lệ"),
        ("confidential", ("Có", "Không"), "Chọn Có hoặc Không"),
    ):
        validation = DataValidation(
            type="list",
            formula1='"' + ",".join(choices) + '"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=title,
            error="Chọn một giá trị trong danh sách.",
        )
        sheet.add_data_validation(validation)
        column = get_column_letter(FIELDS.index(field) + 1)
        validation.add(f"{column}2:{column}{last}")
    guide = workbook.create_sheet("Hướng dẫn")
    for line in _GUIDE:
        guide.append(line)
    guide["A1"].font = guide["B1"].font = Font(bold=True)
    guide.column_dimensions["A"].width = 30
    guide.column_dimensions["B"].width = 110
    for (cell,) in guide.iter_rows(min_col=2, max_col=2):
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


_GUIDE = (
    ("Cột", "Cách điền"),
    (
        HEADERS_VI["title"],
        "Bắt buộc, từ 5 đến 300 ký tự. Mỗi dòng là một sáng kiến; không lặp lại cùng một "
        "sáng kiến của cùng đơn vị.",
    ),
    (HEADERS_VI["unit_code"], "Bắt buộc. Mã công đoàn của đơn vị có sáng kiến, ví dụ PVGAS."),
    (
        HEADERS_VI["field"],
        "Bắt buộc, một trong: " + ", ".join(FIELD_LABELS_VI.values()) + " (có thể ghi tắt "
        "“An toàn” cho An toàn vệ sinh lao động).",
    ),
    (HEADERS_VI["problem"], "Bắt buộc, ít nhất 10 ký tự: thực trạng, vấn đề cần giải quyết."),
    (HEADERS_VI["solution"], "Bắt buộc, ít nhất 10 ký tự: nội dung giải pháp đã thực hiện."),
    (HEADERS_VI["novelty"], "Không bắt buộc: điểm mới so với cách làm trước đây."),
    (
        HEADERS_VI["first_applied_on"],
        "Không bắt buộc. Ngày áp dụng lần đầu, dạng ngày/tháng/năm (15/03/2022) hoặc ô kiểu "
        "ngày của Excel; không được ở tương lai.",
    ),
    (
        HEADERS_VI["expected_benefit_vnd"],
        "Không bắt buộc. Số tiền làm lợi dự kiến, đơn vị đồng, là số nguyên không âm: "
        "1.200.000.000 hoặc 1200000000. Không ghi số lẻ, không ghi “tỷ”, “triệu”.",
    ),
    (
        HEADERS_VI["measured_benefit_vnd"],
        "Không bắt buộc. Số tiền làm lợi thực tế đã đo được, cách ghi như cột trên.",
    ),
    (HEADERS_VI["other_benefits"], "Không bắt buộc: lợi ích không tính được bằng tiền."),
    (
        HEADERS_VI["confidential"],
        "Không bắt buộc: Có (hoặc x) nếu nội dung sáng kiến cần bảo mật; để trống là Không. "
        "Sáng kiến bảo mật chỉ công bố tên, đơn vị và giá trị làm lợi.",
    ),
    (
        HEADERS_VI["authors"],
        f"Bắt buộc. Tất cả tác giả trong một ô, mỗi người theo dạng {AUTHOR_FORMAT}, cách nhau "
        f"bằng dấu chấm phẩy hoặc xuống dòng (Alt+Enter), ví dụ: {AUTHORS_EXAMPLE}. "
        "Mã là mã đoàn viên. Tổng tỷ lệ phải bằng 100%, mỗi người chỉ ghi một lần. Nếu chỉ có "
        "một tác giả thì có thể bỏ tỷ lệ (tính là 100%).",
    ),
    (
        HEADERS_VI["received_on"],
        "Không bắt buộc. Ngày đơn vị nhận hồ sơ sáng kiến (khi nhập hồ sơ giấy), dạng "
        "ngày/tháng/năm; phải trong thời gian của đợt đang mở và không sau hôm nay. Để trống "
        "là hôm nay.",
    ),
    ("", ""),
    (
        "Lưu ý",
        "Dòng tiêu đề có thể nằm dưới một dòng tên bảng (trong 10 dòng đầu). Có thể lưu thành "
        ".xlsx hoặc CSV UTF-8. Các dòng có lỗi được báo theo số dòng; các dòng đúng vẫn được "
        "nhập.",
    ),
)


# Reading the file ---------------------------------------------------------------------------
# The raw cells are kept, not their text: dates and amounts may come as typed Excel cells and the
# authors cell needs its line breaks.


def _read(content: bytes, filename: str) -> Records:
    # The limits are read on each call, as the units reader does, so that they can be changed.
    layout = SheetLayout(
        required=REQUIRED_COLUMNS,
        headers_vi=HEADERS_VI,
        header_aliases=_HEADER_ALIASES,
        max_rows=MAX_ROWS,
        row_noun_vi="sáng kiến",
        row_noun_en="initiatives",
        max_file_bytes=MAX_FILE_BYTES,
    )
    return read_records(content, filename, layout)


# Checking a row -----------------------------------------------------------------------------


class _Invalid(Exception):
    """A cell that cannot become its field's value; the row gets this error."""

    def __init__(self, code: str, message_vi: str, message_en: str) -> None:
        super().__init__(message_en)
        self.code = code
        self.message_vi = message_vi
        self.message_en = message_en


_PYDANTIC_TYPES = frozenset(get_args(ErrorType))
_ORDER = {field: index for index, field in enumerate(FIELDS)}


def _check_row(
    number: int, cells: dict[str, object], campaign_code: str | None
) -> tuple[InitiativeCreate | None, list[RowError]]:
    errors: list[RowError] = []
    payload: dict[str, Any] = {} if campaign_code is None else {"campaign_code": campaign_code}
    for field, value in cells.items():
        try:
            parsed = _PARSERS[field](value)
        except _Invalid as exc:
            errors.append(RowError(row=number, field=field, code=exc.code, **_messages(exc)))
            continue
        if parsed is not None:
            payload[field] = parsed
        elif field in REQUIRED_COLUMNS:
            errors.append(_required(number, field))
    try:
        initiative = InitiativeCreate.model_validate(payload)
    except ValidationError as exc:
        at_fault = {error.field for error in errors}
        for detail in exc.errors():
            location = detail["loc"]
            # Only a bad `campaign_code` from the caller falls outside the columns.
            field = str(location[0]) if location else "(row)"
            if field in at_fault:
                continue  # the cell itself was already refused (or left empty)
            errors.append(_from_pydantic(number, field, location, detail))
        return None, errors
    # A refused optional cell (a bad date) leaves a valid initiative without it: not good enough.
    return (None if errors else initiative), errors


def _messages(exc: _Invalid) -> dict[str, str]:
    return {"message_vi": exc.message_vi, "message_en": exc.message_en}


def _required(number: int, field: str) -> RowError:
    return RowError(
        row=number,
        field=field,
        code="required",
        message_vi=f"Thiếu {HEADERS_VI[field].lower()}",
        message_en=f"{HEADERS_EN[field]} is missing",
    )


def _from_pydantic(
    number: int, field: str, location: tuple[int | str, ...], detail: ErrorDetails
) -> RowError:
    translated = _translate(
        {
            "loc": location,
            "type": detail["type"],
            "msg": detail["msg"],
            "ctx": detail.get("ctx", {}),
        }
    )
    vi, en = translated["message_vi"], translated["message_en"]
    # pydantic's own messages ("too short") need the column; the schema's own rules say it.
    if detail["type"] in _PYDANTIC_TYPES:
        where_vi, where_en = HEADERS_VI.get(field, field), HEADERS_EN.get(field, field)
        if field == "authors" and len(location) >= 2 and isinstance(location[1], int):
            where_vi = f"Tác giả thứ {location[1] + 1}"
            where_en = f"Author {location[1] + 1}"
            if len(location) >= 3:
                part = str(location[2])
                where_vi += f", {_AUTHOR_PARTS_VI.get(part, part)}"
                where_en += f", {part.replace('_', ' ')}"
        vi, en = f"{where_vi}: {_lower_first(vi)}", f"{where_en}: {_lower_first(en)}"
    return RowError(row=number, field=field, code=translated["code"], message_vi=vi, message_en=en)


_AUTHOR_PARTS_VI = {"member_id": "mã", "full_name": "họ và tên", "share_percent": "tỷ lệ"}


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _line(value: object) -> str | None:
    """A one-line text cell, cleaned as the units sheet cleans its cells."""
    if isinstance(value, datetime | date):
        raise _Invalid("text_expected", "Phải là chữ, không phải ngày", "Must be text, not a date")
    return _text(value) or None


def _paragraphs(value: object) -> str | None:
    """A long text cell: NFC, spaces collapsed within each line, the line breaks kept."""
    if value is None:
        return None
    if isinstance(value, datetime | date):
        raise _Invalid("text_expected", "Phải là chữ, không phải ngày", "Must be text, not a date")
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
    raise _Invalid(
        "code_format",
        f"Mã đơn vị “{text}” không hợp lệ: chỉ gồm chữ in hoa không dấu (A-Z), chữ số và dấu "
        "gạch ngang",
        f"Unit code “{text}” is invalid: only letters A-Z, digits and hyphens",
    )


def _field(value: object) -> InitiativeField | None:
    text = _line(value)
    if text is None:
        return None
    found = _FIELD_BY_NAME.get(_fold(text))
    if found is None:
        raise _Invalid(
            "unknown_field",
            f"Lĩnh vực “{text}” không hợp lệ; chấp nhận: {', '.join(FIELD_LABELS_VI.values())}",
            f"Unknown field “{text}”; accepted: {', '.join(InitiativeField)}",
        )
    return found


_DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]00:00(?::00(?:\.0+)?)?)?")


def _date(value: object) -> date | None:
    if isinstance(value, datetime):  # an Excel date cell
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    if not text:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise _Invalid(
            "date_format",
            f"Ngày “{text}” không hợp lệ: ô đang ở dạng số; hãy ghi ngày/tháng/năm, ví dụ "
            "15/03/2022, hoặc định dạng ô kiểu ngày",
            f"Date “{text}” is invalid: the cell is a number; write day/month/year, "
            "e.g. 15/03/2022, or format the cell as a date",
        )
    if match := _DMY.fullmatch(text):
        day, month, year = (int(part) for part in match.groups())
    elif match := _ISO.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
    else:
        raise _Invalid(
            "date_format",
            f"Ngày “{text}” không hợp lệ: hãy ghi ngày/tháng/năm, ví dụ 15/03/2022",
            f"Date “{text}” is invalid: write day/month/year, e.g. 15/03/2022",
        )
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise _Invalid(
            "date_invalid",
            f"Ngày “{text}” không tồn tại (ngày/tháng/năm)",
            f"Date “{text}” does not exist (day/month/year)",
        ) from exc


_CURRENCY = re.compile(r"(?:vnd|vnđ|đồng|đ|dong|d)$", re.IGNORECASE)
_GROUPED = (
    re.compile(r"\d{1,3}(?:\.\d{3})+"),  # 1.200.000 (Vietnamese)
    re.compile(r"\d{1,3}(?:,\d{3})+"),  # 1,200,000
    re.compile(r"\d+"),
)
_DECIMAL = re.compile(r"[\d.,]*\d[.,]\d+")


def _amount(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool | datetime | date):
        raise _not_an_amount(_text(value))
    if isinstance(value, int | float):
        if value < 0:
            raise _negative(_text(value))
        if isinstance(value, float) and not value.is_integer():
            raise _decimal(_text(value))
        return _bounded(int(value), _text(value))
    text = _text(value)
    if not text:
        return None
    compact = _CURRENCY.sub("", "".join(text.split())).strip()
    if compact.startswith(("-", "−", "(")):
        raise _negative(text)
    compact = compact.removeprefix("+")
    for pattern in _GROUPED:
        if pattern.fullmatch(compact):
            return _bounded(int(re.sub(r"[.,]", "", compact)), text)
    if _DECIMAL.fullmatch(compact):
        raise _decimal(text)
    raise _not_an_amount(text)


def _bounded(amount: int, text: str) -> int:
    if amount > MAX_AMOUNT_VND:
        raise _Invalid(
            "amount_too_large",
            f"Số tiền “{text}” quá lớn",
            f"The amount “{text}” is too large",
        )
    return amount


def _negative(text: str) -> _Invalid:
    return _Invalid(
        "negative_amount",
        f"Giá trị làm lợi “{text}” không được âm",
        f"The benefit “{text}” cannot be negative",
    )


def _decimal(text: str) -> _Invalid:
    return _Invalid(
        "decimal_amount",
        f"Giá trị làm lợi “{text}” phải là số đồng nguyên, không có phần lẻ (ví dụ 1.200.000.000)",
        f"The benefit “{text}” must be a whole number of đồng, without decimals "
        "(e.g. 1,200,000,000)",
    )


def _not_an_amount(text: str) -> _Invalid:
    return _Invalid(
        "amount_format",
        f"Giá trị làm lợi “{text}” không phải là số tiền: ghi số đồng, ví dụ 1.200.000.000",
        f"The benefit “{text}” is not an amount: write the number of đồng, e.g. 1,200,000,000",
    )


def _confidential(value: object) -> bool | None:
    if isinstance(value, bool):
        return value
    text = _line(value)
    if text is None:
        return None  # the schema's default: not confidential
    folded = _fold(text)
    if folded in _YES:
        return True
    if folded in _NO:
        return False
    raise _Invalid(
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
        raise _author_format(_text(value), None)
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
                raise _Invalid(
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
                raise _Invalid(
                    "share_not_integer",
                    f"Tỷ lệ đóng góp “{parts[2]}” của {member_id} phải là số nguyên phần trăm",
                    f"The share “{parts[2]}” of {member_id} must be a whole percentage",
                )
            share = int(match.group(1))
        authors.append({"member_id": member_id, "full_name": full_name, "share_percent": share})
    return authors


def _author_format(entry: str, position: int | None) -> _Invalid:
    which_vi = f"Tác giả thứ {position}" if position else "Tác giả"
    which_en = f"Author {position}" if position else "The author"
    return _Invalid(
        "author_format",
        f"{which_vi} “{entry}” không đúng dạng {AUTHOR_FORMAT}, ví dụ {AUTHORS_EXAMPLE}",
        f"{which_en} “{entry}” is not written as {AUTHOR_FORMAT} (code:full name:share%), "
        f"e.g. {AUTHORS_EXAMPLE}",
    )


_PARSERS: dict[str, Callable[[object], object]] = {
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
