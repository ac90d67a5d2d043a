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

The package is split by concern: `layout` (the columns and their headers), `cells` (a parser a
column), `rows` (checking each row against the API's schema) and `template` (the file officers
download). This module re-exports their public names.
"""

from services.submissions.initiatives.spreadsheet.layout import (
    FIELD_LABELS_VI,
    FIELDS,
    HEADERS_EN,
    HEADERS_VI,
    MAX_ROWS,
    REQUIRED_COLUMNS,
)
from services.submissions.initiatives.spreadsheet.rows import (
    InitiativeRow,
    ParsedInitiatives,
    parse_initiatives,
)
from services.submissions.initiatives.spreadsheet.template import template_xlsx
from services.submissions.spreadsheet_reading import MAX_FILE_BYTES, SpreadsheetError
from services.submissions.units.spreadsheet import RowError

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
