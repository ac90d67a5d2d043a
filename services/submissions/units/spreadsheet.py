"""Read the list of union units from the spreadsheet officers keep (XLSX or CSV).

Officers keep the union tree in Excel, with Vietnamese headers, often a title row above them, and
Excel on a Vietnamese Windows exports CSV with `;`. The file is taken as it is: every bad row is
reported with the row number the officer sees, in Vietnamese and English, and the good rows are
still returned (the caller decides whether a file with errors is loaded). Only a file that cannot
be read at all raises `SpreadsheetError`.
"""

import re
from collections.abc import Collection, Mapping

import openpyxl
from openpyxl.styles import Font
from pydantic import BaseModel, ConfigDict, Field

from services.submissions.spreadsheet_reading import HEADER_SEARCH_ROWS as HEADER_SEARCH_ROWS
from services.submissions.spreadsheet_reading import MAX_FILE_BYTES as MAX_FILE_BYTES
from services.submissions.spreadsheet_reading import SheetLayout, read_records
from services.submissions.spreadsheet_reading import SpreadsheetError as SpreadsheetError
from services.submissions.spreadsheet_reading import cell_text as _text
from services.submissions.spreadsheet_reading import fold as _fold
from services.submissions.spreadsheet_writing import drop_down, guide_sheet, xlsx_bytes
from services.submissions.units.service import wrong_child_level, wrong_parent_level, wrong_root
from shared.contracts.bounds import CODE_MAX, NAME_MAX
from shared.contracts.sheets import UNIT_COLUMNS
from shared.contracts.vocabulary import UNIT_LEVELS, UnitLevel

MAX_ROWS = 20_000
CODE_MAX_LENGTH = CODE_MAX  # as the units table and `unit.recorded.v1`
NAME_MAX_LENGTH = NAME_MAX
CLUSTER_MAX_LENGTH = CODE_MAX
CODE_PATTERN = r"^[A-Z0-9]+(?:-[A-Z0-9]+)*$"
CLUSTER_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


# Beyond a level's code and its Vietnamese and English names (the vocabulary's, read as they
# are), what officers write for it (folded).
_LEVEL_OTHER_NAMES = {
    UnitLevel.federation: ("cong doan nganh trung uong",),
    UnitLevel.affiliated: (
        "truc thuoc",
        "cong doan cap tren truc tiep co so",  # the Union Charter's name for this level
    ),
    UnitLevel.grassroots: ("co so", "cdcs"),
    UnitLevel.sub: ("bo phan", "cdbp"),
}

FIELDS = tuple(UNIT_COLUMNS)
REQUIRED_COLUMNS = ("code", "name", "parent_code", "level")
HEADERS_VI = {field: names[0] for field, names in UNIT_COLUMNS.items()}
LAYOUT = SheetLayout(
    required=REQUIRED_COLUMNS,
    columns=UNIT_COLUMNS,
    # Beyond the contract's two headers a column, the names officers' own sheets give it
    # (folded).
    other_names={
        "code": ("code", "ma", "ma cong doan"),
        "name": ("name", "ten", "ten cong doan"),
        "parent_code": ("parent code", "parent", "ma cap tren"),
        "level": ("cap don vi", "cap cong doan"),
        "cluster": ("cluster", "cum", "khoi thi dua", "cum khoi thi dua"),
    },
    max_rows=MAX_ROWS,
    row_noun_vi="đơn vị",
    row_noun_en="units",
)


class UnitRow(BaseModel):
    """One unit as the file gives it, checked on its own and against the rest of the tree."""

    model_config = ConfigDict(frozen=True)

    row: int = Field(ge=1, description="Row number in the sheet, as the officer sees it.")
    code: str = Field(max_length=CODE_MAX_LENGTH, pattern=CODE_PATTERN, description="Mã đơn vị.")
    name: str = Field(min_length=1, max_length=NAME_MAX_LENGTH, description="Tên đơn vị.")
    parent_code: str | None = Field(
        max_length=CODE_MAX_LENGTH,
        pattern=CODE_PATTERN,
        description="Mã đơn vị cấp trên; none for the federation.",
    )
    level: UnitLevel
    cluster: str | None = Field(
        max_length=CLUSTER_MAX_LENGTH, pattern=CLUSTER_PATTERN, description="Cụm thi đua."
    )


class RowError(BaseModel):
    model_config = ConfigDict(frozen=True)

    row: int
    field: str
    code: str
    message_vi: str
    message_en: str


class ParsedSheet(BaseModel):
    model_config = ConfigDict(frozen=True)

    rows: list[UnitRow]
    errors: list[RowError]


def parse_units(
    content: bytes,
    filename: str,
    known_codes: Collection[str] | Mapping[str, UnitLevel] = frozenset(),
    *,
    known_parents: Mapping[str, str | None] | None = None,
) -> ParsedSheet:
    """The units in an uploaded XLSX or CSV file, and what is wrong with each bad row.

    `known_codes` are units already recorded, which a row may name as its parent. Given as a
    mapping from code to level, the level of such a parent is checked too, and the federation
    already recorded keeps the file from declaring another. With `known_parents` (code → parent
    code of the recorded units) a row that changes a recorded unit's level is checked against
    the units under it. Rows come back in the file's order, which need not put parents first.
    """
    return _Checker(known_codes, known_parents or {}).check(_read(content, filename))


def template_xlsx() -> bytes:
    """An empty units sheet with the Vietnamese headers, for officers to fill in."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Danh sách đơn vị"
    sheet.append([HEADERS_VI[field] for field in FIELDS])
    for cell, width in zip(sheet[1], (22, 60, 22, 24, 26), strict=True):
        cell.font = Font(bold=True)
        sheet.column_dimensions[cell.column_letter].width = width
    sheet.freeze_panes = "A2"
    drop_down(
        sheet,
        "D",
        (level.label_vi for level in UnitLevel),
        "Cấp không hợp lệ",
        "Chọn một cấp trong danh sách.",
        MAX_ROWS + 1,
    )
    guide_sheet(workbook, _GUIDE, (22, 100))
    return xlsx_bytes(workbook)


_GUIDE = (
    ("Cột", "Cách điền"),
    (
        HEADERS_VI["code"],
        "Bắt buộc. Chữ in hoa không dấu, chữ số và dấu gạch ngang, ví dụ PVGAS-KCM.",
    ),
    (HEADERS_VI["name"], "Bắt buộc. Ví dụ: Công đoàn Công ty Khí Cà Mau."),
    (
        HEADERS_VI["parent_code"],
        "Bắt buộc, trừ Công đoàn ngành. Đơn vị cấp trên phải có trong tệp "
        "hoặc đã có trong hệ thống.",
    ),
    (
        HEADERS_VI["level"],
        "Bắt buộc: Công đoàn ngành, Công đoàn trực thuộc (dưới Công đoàn ngành), "
        "Công đoàn cơ sở (dưới Công đoàn trực thuộc), Công đoàn bộ phận (dưới Công đoàn cơ sở "
        "hoặc Công đoàn bộ phận).",
    ),
    (HEADERS_VI["cluster"], "Không bắt buộc. Ví dụ: Khí - Điện (ghi nhận là khi-dien)."),
)


# Reading the file ---------------------------------------------------------------------------


# (row number, field -> cleaned text), blank rows left out
_Records = list[tuple[int, dict[str, str]]]


def _read(content: bytes, filename: str) -> _Records:
    return [
        (number, {field: _text(value) for field, value in values.items()})
        for number, values in read_records(content, filename, LAYOUT)
    ]


_LEVEL_BY_NAME = {
    _fold(name): level
    for level in UnitLevel
    for name in (level.value, level.label_vi, level.label_en, *_LEVEL_OTHER_NAMES.get(level, ()))
}


# Checking the rows --------------------------------------------------------------------------


class _Checker:
    def __init__(
        self,
        known_codes: Collection[str] | Mapping[str, UnitLevel],
        known_parents: Mapping[str, str | None],
    ) -> None:
        self.known = known_codes
        self.known_levels: Mapping[str, UnitLevel] = (
            known_codes if isinstance(known_codes, Mapping) else {}
        )
        self.known_parents = known_parents
        self.known_root = next(
            (c for c, level in self.known_levels.items() if level == UnitLevel.federation), None
        )
        self.errors: list[RowError] = []
        self.first_row: dict[str, int] = {}  # each code's first row, sound or not
        self.units: dict[str, UnitRow] = {}  # rows with no error (yet)

    def check(self, records: _Records) -> ParsedSheet:
        for number, values in records:
            self._check_row(number, values)
        self._check_parents_exist()
        self._check_cycles()
        self._check_levels()
        self._reject_orphans()
        self.errors.sort(key=lambda e: (e.row, FIELDS.index(e.field)))
        rows = sorted(self.units.values(), key=lambda unit: unit.row)
        return ParsedSheet(rows=rows, errors=self.errors)

    def _error(self, row: int, field: str, code: str, vi: str, en: str) -> None:
        self.errors.append(RowError(row=row, field=field, code=code, message_vi=vi, message_en=en))

    def _reject(
        self, unit: UnitRow, code: str, vi: str, en: str, field: str = "parent_code"
    ) -> None:
        self._error(unit.row, field, code, vi, en)
        del self.units[unit.code]

    def _check_row(self, row: int, values: dict[str, str]) -> None:
        before = len(self.errors)
        code = self._code(row, "code", values["code"])
        parent_code = self._code(row, "parent_code", values["parent_code"])
        name = values["name"]
        if not name:
            self._error(row, "name", "required", "Thiếu tên đơn vị", "The unit name is missing")
        elif len(name) > NAME_MAX_LENGTH:
            self._error(
                row,
                "name",
                "too_long",
                f"Tên đơn vị quá dài: tối đa {NAME_MAX_LENGTH} ký tự",
                f"The unit name is too long: at most {NAME_MAX_LENGTH} characters",
            )
        level = self._level(row, values, bool(values["parent_code"]))
        cluster = self._cluster(row, values.get("cluster", ""))
        if code is not None:
            if code in self.first_row:
                first = self.first_row[code]
                self._error(
                    row,
                    "code",
                    "duplicate_code",
                    f"Mã đơn vị {code} bị trùng với dòng {first}",
                    f"Unit code {code} already appears on row {first}",
                )
            else:
                self.first_row[code] = row
        if level is UnitLevel.federation:
            federations = [u.row for u in self.units.values() if u.level is UnitLevel.federation]
            if federations:
                self._error(
                    row,
                    "level",
                    "second_federation",
                    f"Chỉ có một Công đoàn ngành; đã khai báo ở dòng {federations[0]}",
                    f"There is only one federation; it is already on row {federations[0]}",
                )
            elif self.known_root not in (None, code):
                self._error(
                    row,
                    "level",
                    "second_federation",
                    f"Chỉ có một Công đoàn ngành; trong hệ thống đã có {self.known_root}",
                    f"There is only one federation; {self.known_root} is already recorded",
                )
        if len(self.errors) == before and code is not None and level is not None:
            self.units[code] = UnitRow(
                row=row,
                code=code,
                name=name,
                parent_code=parent_code,
                level=level,
                cluster=cluster,
            )

    def _code(self, row: int, field: str, text: str) -> str | None:
        if not text:
            if field == "code":
                self._error(row, field, "required", "Thiếu mã đơn vị", "The unit code is missing")
            return None
        # Officers type codes in any case; the tree knows them in upper case.
        code = text.upper()
        if len(code) <= CODE_MAX_LENGTH and re.fullmatch(CODE_PATTERN, code):
            return code
        what_vi, what_en = (
            ("Mã đơn vị", "Unit code") if field == "code" else ("Mã cấp trên", "Parent code")
        )
        self._error(
            row,
            field,
            "code_format",
            f"{what_vi} “{text}” không hợp lệ: chỉ gồm chữ in hoa không dấu (A-Z), chữ số và "
            f"dấu gạch ngang, tối đa {CODE_MAX_LENGTH} ký tự",
            f"{what_en} “{text}” is invalid: only letters A-Z, digits and hyphens, "
            f"at most {CODE_MAX_LENGTH} characters",
        )
        return None

    def _level(self, row: int, values: Mapping[str, str], has_parent: bool) -> UnitLevel | None:
        text = values["level"]
        if not text:
            self._error(row, "level", "required", "Thiếu cấp đơn vị", "The level is missing")
            return None
        level = _LEVEL_BY_NAME.get(_fold(text))
        if level is None:
            self._error(
                row,
                "level",
                "unknown_level",
                f"Cấp “{text}” không hợp lệ; chấp nhận: "
                f"{', '.join(vi for vi, _ in UNIT_LEVELS.values())}",
                f"Unknown level “{text}”; accepted: {', '.join(UnitLevel)}",
            )
        elif (wrong := wrong_root(values["code"], level, has_parent)) is not None:
            self._error(row, "parent_code", *wrong)
        return level

    def _cluster(self, row: int, text: str) -> str | None:
        if not text:
            return None
        # "Khí - Điện" and "khi-dien" are the same cluster; the slug is what ranking groups by.
        slug = "-".join(_fold(text).split())
        if slug and len(slug) <= CLUSTER_MAX_LENGTH:
            return slug
        self._error(
            row,
            "cluster",
            "cluster_format",
            f"Cụm thi đua “{text}” không hợp lệ (tối đa {CLUSTER_MAX_LENGTH} ký tự, có chữ cái)",
            f"Cluster “{text}” is invalid (at most {CLUSTER_MAX_LENGTH} characters, with letters)",
        )
        return None

    def _check_parents_exist(self) -> None:
        for unit in list(self.units.values()):
            parent = unit.parent_code
            if parent is not None and parent not in self.first_row and parent not in self.known:
                self._reject(
                    unit,
                    "parent_not_found",
                    f"Không có đơn vị cấp trên {parent} trong tệp cũng như trong hệ thống",
                    f"No parent unit {parent}: neither in the file nor already recorded",
                )

    def _check_cycles(self) -> None:
        done: set[str] = set()
        cycles: list[list[str]] = []
        for start in self.units:
            trail: list[str] = []
            code: str | None = start
            while code in self.units and code not in done and code not in trail:
                trail.append(code)
                code = self.units[code].parent_code
            if code is not None and code in trail:
                cycles.append(trail[trail.index(code) :])
            done.update(trail)
        for cycle in cycles:
            for position, code in enumerate(cycle):
                # Each row's message starts from its own code: A → B → A, B → A → B.
                loop = " → ".join([*cycle[position:], *cycle[:position], code])
                self._reject(
                    self.units[code],
                    "parent_cycle",
                    f"Quan hệ cấp trên tạo thành vòng lặp: {loop}",
                    f"Parent links form a cycle: {loop}",
                )

    def _check_levels(self) -> None:
        wrong: list[tuple[UnitRow, tuple[str, str]]] = []
        for unit in self.units.values():
            parent = unit.parent_code
            if parent is None:
                continue
            if parent in self.units:
                parent_level: UnitLevel | None = self.units[parent].level
            elif parent in self.first_row:
                continue  # a rejected row: _reject_orphans says so
            else:
                parent_level = self.known_levels.get(parent)
            if parent_level is not None:
                reason = wrong_parent_level(unit.level, parent, parent_level)
                if reason is not None:
                    wrong.append((unit, reason))
        for unit, (vi, en) in wrong:
            self._reject(unit, "parent_level", vi, en)
        self._check_known_children()

    def _check_known_children(self) -> None:
        """A recorded unit given a new level must still fit over the recorded units under it
        that the file leaves where they are."""
        relevelled = {
            unit.code
            for unit in self.units.values()
            if unit.code in self.known_levels and self.known_levels[unit.code] != unit.level
        }
        if not relevelled:
            return
        wrong: dict[str, tuple[str, str]] = {}
        for child, parent in sorted(self.known_parents.items()):
            if parent not in relevelled or parent in wrong or child in self.first_row:
                continue
            child_level = self.known_levels.get(child)
            level = self.units[parent].level
            if child_level is not None and wrong_parent_level(child_level, parent, level):
                wrong[parent] = wrong_child_level(parent, level, child, child_level)
        for code, (vi, en) in wrong.items():
            self._reject(self.units[code], "child_level", vi, en, field="level")

    def _reject_orphans(self) -> None:
        """A unit whose parent row was rejected is rejected too, down the whole subtree."""
        changed = True
        while changed:
            orphans = [
                unit
                for unit in self.units.values()
                if unit.parent_code in self.first_row and unit.parent_code not in self.units
            ]
            for unit in orphans:
                row = self.first_row[unit.parent_code or ""]
                self._reject(
                    unit,
                    "parent_rejected",
                    f"Đơn vị cấp trên {unit.parent_code} (dòng {row}) có lỗi; sửa dòng đó trước",
                    f"Parent unit {unit.parent_code} (row {row}) has errors; fix that row first",
                )
            changed = bool(orphans)
