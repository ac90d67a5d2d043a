"""The sơ kết / tổng kết exports as files: tables (built by `sections`) written as an
XLSX workbook, one sheet per table, or as one CSV per table.

Both are for people opening them in Excel on Vietnamese machines:
- XLSX: row 1 is a title (review, unit, date of the figures), row 2 the Vietnamese headers
  (`HEADER_ROW`, frozen and filtered), the data from row 3. Amounts are numbers formatted
  `#,##0`: Excel draws the separator of the reader's locale ('.' in Vietnam), which a literal
  format could not; the unit is in the header ("… (đồng)"). Percentages are fractions shown
  `0.0%`, dates real dates shown dd/mm/yyyy.
- CSV: UTF-8 with a BOM (without it Excel reads the Vietnamese as Windows-1258 mojibake), the
  same headers on the first line. Counts and amounts are bare digits (no separator, so no
  locale misreads them), percentages as written in Vietnam ('33,3%'), dates dd/mm/yyyy.

Names and reasons come from users: text is never written as a formula (a unit called
'=HYPERLINK(…)' stays text), and a CSV cell that Excel would take for one gets a leading "'".
"""

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

import openpyxl
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from services.reporting.labels import LEVELS
from services.reporting.tables import UnitView
from shared.campaign.model import Campaign, Phase, ReviewKind
from shared.formatting import format_date, format_number
from shared.xlsx import xlsx_text, xlsx_value

Kind = Literal["text", "int", "vnd", "percent", "date"]
Cell = str | int | float | date | None

HEADER_ROW = 2
NUMBER_FORMATS: dict[Kind, str] = {
    "int": "#,##0",
    "vnd": "#,##0",
    "percent": "0.0%",
    "date": "dd/mm/yyyy",
}
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_WIDTH = (8, 60)  # characters: a short column still shows its header; longer text is cut


@dataclass(frozen=True)
class Column:
    header: str
    kind: Kind = "text"


@dataclass
class Table:
    """A section of the export: a sheet of the workbook, or one CSV (named in its URL by the
    slug it is registered under, `sections.SLUGS`)."""

    sheet: str  # the sheet's name: Excel allows 31 characters
    columns: Sequence[Column]
    rows: list[Sequence[Cell]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if len(self.sheet) > 31:
            raise ValueError(f"sheet name longer than Excel allows: {self.sheet}")


def yes_no(value: bool) -> str:
    return "Có" if value else "Không"


def level_label(level: str) -> str:
    return LEVELS.get(level, (level, level))[0]


# A unit, as every sheet that lists units names it: its code, its name and its level.
UNIT_COLUMNS = (Column("Mã đơn vị"), Column("Tên đơn vị"), Column("Cấp"))


def unit_cells(code: str, name: str, level: str) -> tuple[str, str, str]:
    """The cells of `UNIT_COLUMNS`."""
    return code, name, level_label(level)


def file_name(
    plan: Campaign,
    phase: Phase,
    root: UnitView | None,
    extension: str = "xlsx",
    table: str | None = None,
) -> str:
    """'tong-ket-2022-dot-2.xlsx'; a subtree's export also names its unit ('…-pvgas.xlsx'),
    a CSV its table ('…-xep-hang.csv'). ASCII only: every browser keeps such a name."""
    review = "so-ket" if phase.closing_review.kind is ReviewKind.so_ket else "tong-ket"
    parts = [review, plan.code, phase.code]
    if root is not None and root.parent_code is not None:
        parts.append(re.sub(r"[^a-z0-9]+", "-", root.code.lower()).strip("-"))
    if table is not None:
        parts.append(table)
    return f"{'-'.join(p for p in parts if p)}.{extension}"


def to_xlsx(tables: Sequence[Table], title: str) -> bytes:
    """One sheet per table; `title` (the review and unit) heads each sheet."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    for table in tables:
        sheet = workbook.create_sheet(table.sheet)
        heading = xlsx_text(f"{title} — {table.sheet}")  # the title names a unit: stored text
        sheet.cell(row=1, column=1, value=heading).font = Font(bold=True, size=13)
        for index, column in enumerate(table.columns, start=1):
            sheet.cell(row=HEADER_ROW, column=index, value=column.header).font = bold
        for number, row in enumerate(table.rows, start=HEADER_ROW + 1):
            for index, (column, value) in enumerate(zip(table.columns, row, strict=True), 1):
                # Stored text may hold what XLSX cannot (shared.xlsx): written without it.
                cell = sheet.cell(row=number, column=index, value=xlsx_value(value))
                if column.kind == "text" and isinstance(value, str) and value.startswith("="):
                    cell.data_type = "s"  # openpyxl would store it as a formula
                elif column.kind in NUMBER_FORMATS:
                    cell.number_format = NUMBER_FORMATS[column.kind]
        for index, column in enumerate(table.columns, start=1):
            longest = max(
                [len(column.header), *(_shown_length(column, row[index - 1]) for row in table.rows)]
            )
            width = min(max(longest + 2, _WIDTH[0]), _WIDTH[1])
            sheet.column_dimensions[get_column_letter(index)].width = width
        last = get_column_letter(len(table.columns))
        sheet.freeze_panes = f"A{HEADER_ROW + 1}"
        sheet.auto_filter.ref = f"A{HEADER_ROW}:{last}{HEADER_ROW + max(len(table.rows), 1)}"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def to_csv(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180, as Excel writes them
    writer.writerow([c.header for c in table.columns])
    for row in table.rows:
        writer.writerow(
            [_csv_cell(c, v) for c, v in zip(table.columns, row, strict=True)],
        )
    return out.getvalue().encode("utf-8-sig")


def _csv_cell(column: Column, value: Cell) -> str:
    if value is None:
        return ""
    if column.kind == "percent" and isinstance(value, int | float):
        return f"{format_number(Decimal(str(value)) * 100)}%"
    if isinstance(value, date):
        return format_date(value)
    text = str(value)  # counts and amounts: bare digits
    if column.kind == "text" and text.startswith(_FORMULA_START):
        return "'" + text
    return text


def _shown_length(column: Column, value: Cell) -> int:
    """About how many characters the cell shows on the sheet, for the column's width."""
    if isinstance(value, int) and column.kind in ("int", "vnd"):
        return len(f"{value:,}")
    return len(_csv_cell(column, value))
