"""Reading the spreadsheets officers keep (XLSX or CSV) into rows of cells, whatever their columns.

Shared by the units and the initiatives imports: each gives its column layout (`SheetLayout`) and
gets back the non-blank rows, each with the row number the officer sees and the raw cell of every
column found. Officers' files come as they are: Vietnamese or English headers, a title row above
them, several sheets, CSV with `,`, `;` or tabs, with or without a BOM. A file that cannot be read
at all raises `SpreadsheetError`, in Vietnamese and English.
"""

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import cached_property
from itertools import islice
from pathlib import PurePosixPath

import openpyxl
from openpyxl.utils import get_column_letter

from shared.contracts.bounds import SPREADSHEET_FILE_MAX_BYTES
from shared.formatting import format_number
from shared.http.input_guard import without_forbidden_characters
from shared.refusals import Explained

MAX_FILE_BYTES = SPREADSHEET_FILE_MAX_BYTES  # the contracts' bound, which the portal says too
# An XLSX is a zip: 5 MB of it can unpack to gigabytes, which openpyxl would hold in memory.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
# How far down the header row is looked for: a title and a blank line often sit above it.
HEADER_SEARCH_ROWS = 10

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls (Excel 97-2003)
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")  # Excel's "Unicode Text" export

# (row number, field -> raw cell value), blank rows left out
Records = list[tuple[int, dict[str, object]]]
_Rows = Iterator[tuple[int, Sequence[object]]]


class UnreadableError(Explained):
    """Something read from a sheet that cannot be used, and why, in Vietnamese and English."""


class SpreadsheetError(UnreadableError):
    """The file as a whole cannot be read; nothing in it is usable."""

    field = "file"


@dataclass(frozen=True)
class SheetLayout:
    """The columns one kind of sheet has, and what its rows are called in messages."""

    required: tuple[str, ...]
    # field -> its (Vietnamese, English) header, as the contract (shared.contracts.sheets) names
    # it and the template writes it: both are read back without being listed again
    columns: Mapping[str, tuple[str, str]]
    # field -> the other names officers give the column, compared after `fold`
    other_names: Mapping[str, Sequence[str]]
    max_rows: int
    row_noun_vi: str  # "đơn vị": "Tệp không có đơn vị nào"
    row_noun_en: str  # "units": "The file contains no units"
    max_file_bytes: int = MAX_FILE_BYTES
    max_unpacked_bytes: int = MAX_UNPACKED_BYTES

    @cached_property
    def headers_vi(self) -> dict[str, str]:
        return {field: names[0] for field, names in self.columns.items()}

    @cached_property
    def field_by_header(self) -> dict[str, str]:
        named = {fold(header): f for f, headers in self.columns.items() for header in headers}
        return named | {name: f for f, names in self.other_names.items() for name in names}


def read_records(content: bytes, filename: str, layout: SheetLayout) -> Records:
    """The non-blank rows under the header row of an uploaded XLSX or CSV file."""
    if len(content) > layout.max_file_bytes:
        raise too_large(len(content), layout.max_file_bytes)
    if not content.removeprefix(b"\xef\xbb\xbf").strip():
        raise _empty(layout)
    suffix = PurePosixPath(filename.replace("\\", "/")).suffix.lower()
    # The content decides, not the name: files are often renamed or saved with the wrong one.
    if content.startswith(ZIP_MAGIC):
        return _read_xlsx(content, filename, layout)
    if content.startswith(OLE_MAGIC):
        raise SpreadsheetError(
            "xls_not_supported",
            "Định dạng .xls (Excel 97-2003) không được hỗ trợ: hãy lưu lại thành .xlsx hoặc .csv",
            "The .xls format (Excel 97-2003) is not supported: save the file as .xlsx or .csv",
        )
    if suffix in {".csv", ".txt"}:
        return _read_csv(content, filename, layout)
    raise not_a_spreadsheet(filename)


def _read_xlsx(content: bytes, filename: str, layout: SheetLayout) -> Records:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(item.file_size for item in archive.infolist())
        if unpacked > layout.max_unpacked_bytes:
            raise too_large(unpacked, layout.max_unpacked_bytes, unpacked=True)
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except SpreadsheetError:
        raise
    except Exception as exc:  # openpyxl raises a zoo of types for a zip that is not a workbook
        raise not_a_spreadsheet(filename) from exc
    try:
        missing: set[str] | None = None
        # The rows may not be on the first sheet (an instructions sheet may come first).
        for sheet in workbook.worksheets:
            # Some writers leave a stale <dimension>, which would silently cut rows off.
            sheet.reset_dimensions()
            rows = enumerate(sheet.iter_rows(values_only=True), start=1)
            found = _find_header(rows, layout)
            if isinstance(found, dict):
                return _records(rows, found, layout)
            missing = found if missing is None or len(found) < len(missing) else missing
        raise _missing_columns(missing or set(layout.required), layout)
    except SpreadsheetError:
        raise
    except Exception as exc:  # a damaged sheet fails while its rows are read
        raise not_a_spreadsheet(filename) from exc
    finally:
        workbook.close()


def _read_csv(content: bytes, filename: str, layout: SheetLayout) -> Records:
    try:
        encoding = "utf-16" if content.startswith(UTF16_BOMS) else "utf-8-sig"
        text = content.decode(encoding)
    except UnicodeDecodeError as exc:
        # Excel's plain "CSV" saves in the Windows code page, which mangles Vietnamese.
        raise SpreadsheetError(
            "csv_not_utf8",
            "Tệp CSV phải được lưu với bảng mã UTF-8 (trong Excel: Lưu thành → CSV UTF-8)",
            "The CSV file must be saved as UTF-8 (in Excel: Save As → CSV UTF-8)",
        ) from exc
    if "\x00" in text:
        raise not_a_spreadsheet(filename)
    missing = set(layout.required)
    try:
        # The delimiter is the one under which a header row appears.
        for delimiter in (",", ";", "\t"):
            rows = enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), 1)
            found = _find_header(rows, layout)
            if isinstance(found, dict):
                return _records(rows, found, layout)
            missing = found if len(found) < len(missing) else missing
    except csv.Error as exc:
        raise not_a_spreadsheet(filename) from exc
    raise _missing_columns(missing, layout)


def _find_header(rows: _Rows, layout: SheetLayout) -> dict[str, int] | set[str]:
    """The column of each field, from the first row that names every required one; otherwise
    the fewest required columns any row was missing. Leaves `rows` just after the header."""
    best = set(layout.required)
    for _, cells in islice(rows, HEADER_SEARCH_ROWS):
        columns: dict[str, list[int]] = {}
        for index, cell in enumerate(cells):
            field = layout.field_by_header.get(fold(cell_text(cell)))
            if field is not None:
                columns.setdefault(field, []).append(index)
        missing = set(layout.required) - columns.keys()
        if not missing:
            for field, indexes in columns.items():
                if len(indexes) > 1:
                    raise _repeated_column(field, indexes, layout)
            return {field: indexes[0] for field, indexes in columns.items()}
        best = missing if len(missing) < len(best) else best
    return best


def _records(rows: _Rows, columns: dict[str, int], layout: SheetLayout) -> Records:
    records: Records = []
    for number, cells in rows:
        values = {f: cells[i] if i < len(cells) else None for f, i in columns.items()}
        if not any(cell_text(value) for value in values.values()):
            continue  # blank rows (or only notes in other columns) are not records
        if len(records) == layout.max_rows:
            most = layout.max_rows
            raise SpreadsheetError(
                "too_many_rows",
                f"Tệp có quá nhiều dòng: tối đa {format_number(most)} {layout.row_noun_vi}",
                f"The file has too many rows: at most {format_number(most, language='en')} "
                f"{layout.row_noun_en}",
            )
        records.append((number, values))
    if not records:
        raise _empty(layout)
    return records


def cell_text(value: object) -> str:
    """A cell as clean text: NFC (so that one name typed two ways compares equal), whitespace
    trimmed and collapsed, integral numbers without '.0', and no control or bidirectional
    override character (which the API refuses, and which no one sees in a cell: issue 14)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, datetime | date | time):
        value = value.isoformat()
    text = without_forbidden_characters(unicodedata.normalize("NFC", str(value)))
    return " ".join(text.split())


def fold(text: str) -> str:
    """Lower case, no diacritics or punctuation, for matching: 'Mã đơn vị (*)' -> 'ma don vi'."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", bare).split())


def too_large(size: int, limit: int, unpacked: bool = False) -> SpreadsheetError:
    mb, limit_mb = f"{size / 1024 / 1024:.1f}", limit // 1024 // 1024
    what_vi, what_en = ("Tệp khi giải nén", "unpacked file") if unpacked else ("Tệp", "file")
    return SpreadsheetError(
        "file_too_large",
        f"{what_vi} quá lớn ({mb.replace('.', ',')} MB); tối đa {limit_mb} MB",
        f"The {what_en} is too large ({mb} MB); at most {limit_mb} MB",
    )


def not_a_spreadsheet(filename: str) -> SpreadsheetError:
    return SpreadsheetError(
        "not_a_spreadsheet",
        f"Không đọc được tệp {filename} như một bảng tính: hãy tải lên tệp .xlsx hoặc .csv",
        f"{filename} cannot be read as a spreadsheet: upload an .xlsx or .csv file",
    )


def _empty(layout: SheetLayout) -> SpreadsheetError:
    return SpreadsheetError(
        "empty_file",
        f"Tệp không có {layout.row_noun_vi} nào",
        f"The file contains no {layout.row_noun_en}",
    )


def _missing_columns(missing: set[str], layout: SheetLayout) -> SpreadsheetError:
    ordered = [field for field in layout.required if field in missing]
    return SpreadsheetError(
        "missing_columns",
        f"Thiếu cột bắt buộc: {', '.join(layout.headers_vi[f] for f in ordered)} "
        f"(dòng tiêu đề phải nằm trong {HEADER_SEARCH_ROWS} dòng đầu)",
        f"Missing required columns: {', '.join(ordered)} "
        f"(the header row must be within the first {HEADER_SEARCH_ROWS} rows)",
    )


def _repeated_column(field: str, indexes: list[int], layout: SheetLayout) -> SpreadsheetError:
    letters = ", ".join(get_column_letter(i + 1) for i in indexes)
    return SpreadsheetError(
        "repeated_column",
        f"Cột {layout.headers_vi[field]} xuất hiện nhiều lần (cột {letters})",
        f"Column {field} appears more than once (columns {letters})",
    )
