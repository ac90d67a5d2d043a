"""Spreadsheets as an officer uploads them, made in memory for the import parsers (units and
initiatives), and the problems a parse found, as (row, field, code) to compare at a glance."""

import csv
import io
from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

import openpyxl

from services.submissions.units.spreadsheet import RowError


def xlsx(*rows: Sequence[object]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for values in rows:
        sheet.append(list(values))
    # Day first, as a Vietnamese officer's sheet shows a date.
    for cells in sheet.iter_rows():
        for cell in cells:
            if isinstance(cell.value, datetime):
                cell.number_format = "DD/MM/YYYY"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(*rows: Sequence[object], delimiter: str = ",", bom: bool = False) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter, lineterminator="\r\n")
    writer.writerows([["" if v is None else str(v) for v in values] for values in rows])
    return ("\ufeff" if bom else "").encode() + text.getvalue().encode()


class _Parsed(Protocol):
    @property
    def errors(self) -> Sequence[RowError]: ...


def problems(parsed: _Parsed) -> list[tuple[int, str, str]]:
    return [(e.row, e.field, e.code) for e in parsed.errors]
