"""Writing the import templates an officer downloads (the units' and the initiatives'): the
drop-down list of a closed column, the guide sheet, the workbook's bytes."""

import io
from collections.abc import Iterable
from typing import Any

from openpyxl.worksheet.datavalidation import DataValidation


def drop_down(
    sheet: Any, column: str, choices: Iterable[str], title: str, error: str, last_row: int
) -> None:
    """Column `column` (a letter) takes one of `choices`, from row 2 to `last_row`; Excel
    refuses another value with `title` and `error`."""
    validation = DataValidation(
        type="list",
        formula1='"' + ",".join(choices) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=title,
        error=error,
    )
    sheet.add_data_validation(validation)
    validation.add(f"{column}2:{column}{last_row}")


def guide_sheet(workbook: Any, lines: Iterable[tuple[str, str]], widths: tuple[int, int]) -> Any:
    """The sheet "Hướng dẫn": a line a column (its header, how to fill it), in two columns of
    these widths."""
    guide = workbook.create_sheet("Hướng dẫn")
    for line in lines:
        guide.append(line)
    guide.column_dimensions["A"].width, guide.column_dimensions["B"].width = widths
    return guide


def xlsx_bytes(workbook: Any) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
