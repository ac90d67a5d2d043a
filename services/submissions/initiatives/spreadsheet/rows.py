"""Reading an initiatives file: each row checked by building the API's `InitiativeCreate` from
its parsed cells, so that an imported initiative obeys the rules of one submitted through the
API; every bad row reported with the row number the officer sees."""

from typing import Any, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import ErrorDetails
from pydantic_core.core_schema import ErrorType

from services.submissions.initiatives.schemas import InitiativeCreate
from services.submissions.initiatives.spreadsheet.cells import PARSERS, InvalidCell
from services.submissions.initiatives.spreadsheet.layout import (
    FIELDS,
    HEADERS_EN,
    HEADERS_VI,
    REQUIRED_COLUMNS,
    read_sheet,
)
from services.submissions.spreadsheet_reading import fold
from services.submissions.units.spreadsheet import RowError
from shared.http.errors import _translate


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
    for number, cells in read_sheet(data, filename):
        initiative, row_errors = _check_row(number, cells, campaign_code)
        if initiative is not None:
            key = (initiative.unit_code, fold(initiative.title))
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


_PYDANTIC_TYPES = frozenset(get_args(ErrorType))
_ORDER = {field: index for index, field in enumerate(FIELDS)}


def _check_row(
    number: int, cells: dict[str, object], campaign_code: str | None
) -> tuple[InitiativeCreate | None, list[RowError]]:
    errors: list[RowError] = []
    payload: dict[str, Any] = {} if campaign_code is None else {"campaign_code": campaign_code}
    for field, value in cells.items():
        try:
            parsed = PARSERS[field](value)
        except InvalidCell as exc:
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


def _messages(exc: InvalidCell) -> dict[str, str]:
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
