"""Units spreadsheets as officers keep them: XLSX or CSV, Vietnamese headers, bad rows reported
row by row in both languages while the good rows still come through."""

import csv
import io
import re
import zipfile
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest

from services.submissions.units import spreadsheet
from services.submissions.units.spreadsheet import (
    MAX_FILE_BYTES,
    MAX_ROWS,
    ParsedSheet,
    SpreadsheetError,
    UnitRow,
    parse_units,
    template_xlsx,
)
from shared.contracts.vocabulary import UnitLevel
from tests.unit.sheet_files import csv_bytes, problems, xlsx

DEMO = Path(__file__).resolve().parents[2] / "deploy" / "demo" / "units-2022.csv"
DEMO_AFFILIATED = {
    "PVGAS", "PVPOWER", "BSR", "PVEP", "PVD", "PTSC",
    "PVFCCO", "PVCFC", "PVOIL", "VSP", "VPI", "CQTD",
}  # fmt: skip
HEADER_VI = ["Mã đơn vị", "Tên đơn vị", "Mã đơn vị cấp trên", "Cấp", "Cụm thi đua"]


def units(parsed: ParsedSheet) -> dict[str, UnitRow]:
    return {unit.code: unit for unit in parsed.rows}


def test_the_demo_tree_parses_whole_with_every_parent_present() -> None:
    parsed = parse_units(DEMO.read_bytes(), DEMO.name)

    assert parsed.errors == []
    tree = units(parsed)
    assert len(tree) == len(parsed.rows)
    assert tree["CDDKVN"].level is UnitLevel.federation
    assert tree["CDDKVN"].name == "Công đoàn Dầu khí Việt Nam"
    assert tree["CDDKVN"].parent_code is None
    affiliated = {u.code for u in parsed.rows if u.level is UnitLevel.affiliated}
    assert affiliated >= DEMO_AFFILIATED
    assert len(affiliated) >= 12
    assert all(tree[code].parent_code == "CDDKVN" for code in affiliated)
    assert all(tree[code].cluster for code in affiliated)
    grassroots = [u for u in parsed.rows if u.level is UnitLevel.grassroots]
    assert grassroots
    assert all(tree[u.parent_code or ""].level is UnitLevel.affiliated for u in grassroots)
    # Every affiliated union has grassroots unions, and the tree goes deeper somewhere.
    assert {u.parent_code for u in grassroots} == affiliated
    subs = [u for u in parsed.rows if u.level is UnitLevel.sub]
    assert subs and all(tree[u.parent_code or ""].level is UnitLevel.grassroots for u in subs)
    groups = [u for u in parsed.rows if u.level is UnitLevel.group]
    assert groups and all(tree[u.parent_code or ""].level is UnitLevel.sub for u in groups)
    assert all(u.parent_code in tree for u in parsed.rows if u.level is not UnitLevel.federation)
    assert tree["PVGAS-KCM"].parent_code == "PVGAS"


def test_an_xlsx_with_vietnamese_headers_gives_the_same_rows_as_the_csv() -> None:
    from_csv = parse_units(DEMO.read_bytes(), DEMO.name)
    demo = list(csv.reader(io.StringIO(DEMO.read_text(encoding="utf-8"))))[1:]
    # As an officer keeps it: a title, a blank row, a running number column, Vietnamese levels.
    sheet: list[list[object]] = [
        ["DANH SÁCH CÔNG ĐOÀN DẦU KHÍ VIỆT NAM NĂM 2022"],
        [],
        ["STT", *HEADER_VI],
    ]
    for n, (code, name, parent, level, cluster) in enumerate(demo, 1):
        sheet.append([n, code, name, parent or None, UnitLevel(level).label_vi, cluster or None])

    from_xlsx = parse_units(xlsx(*sheet), "don-vi.xlsx")

    assert from_xlsx.errors == []
    assert [u.model_dump(exclude={"row"}) for u in from_xlsx.rows] == [
        u.model_dump(exclude={"row"}) for u in from_csv.rows
    ]
    # Row numbers are the sheet's: the header is on row 3 here, on row 1 in the CSV.
    assert [u.row for u in from_xlsx.rows] == [u.row + 2 for u in from_csv.rows]


def test_a_semicolon_csv_with_bom_and_loose_headers_parses() -> None:
    content = csv_bytes(
        ["MÃ ĐƠN VỊ", " ten don vi ", "Ma don vi cap tren (*)", "cấp", "Khối thi đua"],
        ["cddkvn", "Công đoàn Dầu khí Việt Nam", "", "Công đoàn ngành", ""],
        ["PVGAS", " Công đoàn Tổng công ty  Khí Việt Nam ", "CDDKVN", "TRỰC THUỘC", "Khí - Điện"],
        ["PVGAS-KCM", "Công đoàn Công ty Khí Cà Mau", "pvgas", "cong doan co so", "khi-dien"],
        delimiter=";",
        bom=True,
    )  # fmt: skip

    parsed = parse_units(content, "units.csv")

    assert parsed.errors == []
    assert [(u.row, u.code, u.parent_code, u.level, u.cluster) for u in parsed.rows] == [
        (2, "CDDKVN", None, UnitLevel.federation, None),
        (3, "PVGAS", "CDDKVN", UnitLevel.affiliated, "khi-dien"),
        (4, "PVGAS-KCM", "PVGAS", UnitLevel.grassroots, "khi-dien"),
    ]
    assert parsed.rows[1].name == "Công đoàn Tổng công ty Khí Việt Nam"


def test_a_sheet_in_english_reads_each_level_by_the_name_the_pages_give_it() -> None:
    """The English headers and level names the contract and the vocabulary give (as the
    portal's English pages show them): "Grassroots union" was refused as an unknown level."""
    content = csv_bytes(
        ["Unit code", "Unit name", "Parent unit code", "Level"],
        ["CDDKVN", "Vietnam Petroleum Trade Union", "", "Federation"],
        ["PVGAS", "PV GAS Trade Union", "CDDKVN", "Affiliated union"],
        ["PVGAS-KCM", "Ca Mau Gas Company Trade Union", "PVGAS", "Grassroots union"],
        ["PVGAS-KCM-VH", "Operations section", "PVGAS-KCM", "Union section"],
        ["PVGAS-KCM-VH-T1", "Shift 1 group", "PVGAS-KCM-VH", "Union group"],
    )  # fmt: skip

    parsed = parse_units(content, "units.csv")

    assert parsed.errors == []
    assert [u.level for u in parsed.rows] == list(UnitLevel)


def test_bad_rows_are_reported_by_row_in_both_languages_and_good_rows_still_returned() -> None:
    content = csv_bytes(
        ["code", "name", "parent_code", "level", "cluster"],
        ["PVGAS", "Công đoàn Tổng công ty Khí Việt Nam", "CDDKVN", "affiliated", "khi-dien"],  # 2
        ["PVGAS-KCM", "Công đoàn Công ty Khí Cà Mau", "PVGAS", "grassroots", ""],  # 3
        ["PV GAS 2", "", "PVGAS", "grassroots", ""],  # 4: bad code, no name
        [],  # 5: blank, skipped
        ["PVGAS-KVT", "Công đoàn Công ty Chế biến Khí Vũng Tàu", "PVGAS", "chi nhánh", ""],  # 6
        ["PVGAS-KCM", "Công đoàn Công ty Khí Cà Mau (lặp)", "PVGAS", "grassroots", ""],  # 7
        ["PVGAS-KDN", "Công đoàn Công ty Khí Đông Nam Bộ", "", "grassroots", ""],  # 8
        ["BSR-NMLD", "Công đoàn Nhà máy Lọc dầu Dung Quất", "BSR", "grassroots", ""],  # 9
        ["PVGAS-X", "Công đoàn bộ phận", "PVGAS-KVT", "sub", ""],  # 10: parent row 6 is bad
        ["PVPOWER", "Công đoàn Tổng công ty Điện lực Dầu khí Việt Nam", "CDDKVN", "affiliated", ""],
        ["CDDK", "Công đoàn Dầu khí", "TLD", "federation", ""],  # 12: the root has no parent
    )  # fmt: skip

    parsed = parse_units(content, "units.csv", known_codes={"CDDKVN"})

    assert problems(parsed) == [
        (4, "code", "code_format"),
        (4, "name", "required"),
        (6, "level", "unknown_level"),
        (7, "code", "duplicate_code"),
        (8, "parent_code", "required"),
        (9, "parent_code", "parent_not_found"),
        (10, "parent_code", "parent_rejected"),
        (12, "parent_code", "federation_has_parent"),
    ]
    assert [(u.row, u.code) for u in parsed.rows] == [
        (2, "PVGAS"),
        (3, "PVGAS-KCM"),
        (11, "PVPOWER"),
    ]
    for error in parsed.errors:
        assert error.message_vi and error.message_en and error.message_vi != error.message_en
    by_row = {e.row: e for e in parsed.errors}
    assert "dòng 3" in by_row[7].message_vi and "row 3" in by_row[7].message_en
    assert "BSR" in by_row[9].message_vi and "BSR" in by_row[9].message_en
    assert "Công đoàn cơ sở" in by_row[6].message_vi
    assert "dòng 6" in by_row[10].message_vi


def test_a_cycle_in_parent_links_is_caught_on_every_row_in_it() -> None:
    content = csv_bytes(
        ["code", "name", "parent_code", "level"],
        ["BSR-NMLD-A", "Công đoàn bộ phận A", "BSR-NMLD-C", "sub"],
        ["BSR-NMLD-B", "Công đoàn bộ phận B", "BSR-NMLD-A", "sub"],
        ["BSR-NMLD-C", "Công đoàn bộ phận C", "BSR-NMLD-B", "sub"],
        ["BSR-NMLD-D", "Tổ công đoàn D", "BSR-NMLD-C", "group"],  # hangs off the cycle
        ["BSR-NMLD-E", "Công đoàn bộ phận E", "BSR-NMLD-E", "sub"],  # its own parent
        ["BSR-NMLD-F", "Công đoàn bộ phận F", "BSR-NMLD", "sub"],
    )

    parsed = parse_units(content, "units.csv", known_codes={"BSR-NMLD": UnitLevel.grassroots})

    assert problems(parsed) == [
        *[(row, "parent_code", "parent_cycle") for row in (2, 3, 4)],  # A -> C -> B -> A
        (5, "parent_code", "parent_rejected"),  # D: its parent is in the cycle
        (6, "parent_code", "parent_cycle"),  # E: its own parent
    ]
    assert parsed.errors[0].message_en.endswith("BSR-NMLD-A → BSR-NMLD-C → BSR-NMLD-B → BSR-NMLD-A")
    assert "vòng lặp" in parsed.errors[0].message_vi
    assert [u.code for u in parsed.rows] == ["BSR-NMLD-F"]


def test_a_parent_of_the_wrong_level_is_caught_in_the_file_and_among_known_units() -> None:
    content = csv_bytes(
        ["code", "name", "parent_code", "level"],
        ["PVGAS", "Công đoàn Tổng công ty Khí Việt Nam", "CDDKVN", "affiliated"],
        ["PVGAS-KCM", "Công đoàn Công ty Khí Cà Mau", "CDDKVN", "grassroots"],  # skips a level
        ["PVGAS-KVT", "Công đoàn Công ty Chế biến Khí Vũng Tàu", "PVGAS", "grassroots"],
        ["PVGAS-KVT-1", "Công đoàn bộ phận Kho cảng", "PVGAS", "sub"],  # under affiliated
        ["PVGAS-KVT-2", "Công đoàn bộ phận Vận hành", "PVGAS-KVT", "sub"],
        ["PVGAS-KVT-2A", "Tổ công đoàn Ca A", "PVGAS-KVT-2", "Tổ công đoàn"],  # group under sub
        ["BSR", "Công đoàn Công ty CP Lọc hóa dầu Bình Sơn", "PVEP", "affiliated"],
    )
    known = {"CDDKVN": UnitLevel.federation, "PVEP": UnitLevel.affiliated}

    parsed = parse_units(content, "units.csv", known_codes=known)

    assert problems(parsed) == [
        (3, "parent_code", "parent_level"),
        (5, "parent_code", "parent_level"),
        (8, "parent_code", "parent_level"),
    ]
    by_row = {e.row: e for e in parsed.errors}
    assert by_row[3].message_vi == (
        "Cấp trên của Công đoàn cơ sở phải là Công đoàn trực thuộc; CDDKVN là Công đoàn ngành"
    )
    assert by_row[3].message_en == (
        "The parent of a grassroots union must be an affiliated union; CDDKVN is the federation"
    )
    assert [u.code for u in parsed.rows] == ["PVGAS", "PVGAS-KVT", "PVGAS-KVT-2", "PVGAS-KVT-2A"]


def test_the_tree_has_one_federation() -> None:
    content = csv_bytes(
        ["code", "name", "parent_code", "level"],
        ["CDDKVN", "Công đoàn Dầu khí Việt Nam", "", "federation"],
        ["CDDK", "Công đoàn Dầu khí", "", "Công đoàn ngành"],
    )

    parsed = parse_units(content, "units.csv")

    assert problems(parsed) == [(3, "level", "second_federation")]
    assert "dòng 2" in parsed.errors[0].message_vi and "row 2" in parsed.errors[0].message_en


def test_known_codes_without_levels_are_accepted_as_parents() -> None:
    content = csv_bytes(
        ["code", "name", "parent_code", "level"],
        ["PVGAS-KCM", "Công đoàn Công ty Khí Cà Mau", "PVGAS", "grassroots"],
    )

    assert parse_units(content, "units.csv", known_codes={"PVGAS"}).errors == []
    assert problems(parse_units(content, "units.csv")) == [(2, "parent_code", "parent_not_found")]


def test_a_stale_sheet_dimension_does_not_cut_rows_off() -> None:
    # Some writers record a <dimension> smaller than the data; read-only openpyxl trusts it.
    rows = [["PVGAS", "Khí", "CDDKVN", "affiliated"], ["PVOIL", "Dầu", "CDDKVN", "affiliated"]]
    original = zipfile.ZipFile(io.BytesIO(xlsx(HEADER_VI[:4], *rows)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as stale:
        for item in original.infolist():
            content = original.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = re.sub(
                    rb'<dimension ref="[^"]*" ?/>', b'<dimension ref="A1:D1"/>', content
                )
            stale.writestr(item, content)

    parsed = parse_units(buffer.getvalue(), "a.xlsx", known_codes={"CDDKVN"})

    assert [u.code for u in parsed.rows] == ["PVGAS", "PVOIL"]


def test_the_template_has_vietnamese_headers_and_reads_back_once_filled() -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(template_xlsx()))
    sheet = workbook.worksheets[0]
    assert [cell.value for cell in sheet[1]] == HEADER_VI
    sheet.append(["CDDKVN", "Công đoàn Dầu khí Việt Nam", None, "Công đoàn ngành", None])
    sheet.append(["PVOIL", "Công đoàn Tổng công ty Dầu Việt Nam", "CDDKVN", "Công đoàn trực thuộc"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    parsed = parse_units(buffer.getvalue(), "mau-don-vi.xlsx")

    assert parsed.errors == []
    assert [(u.row, u.code, u.level) for u in parsed.rows] == [
        (2, "CDDKVN", UnitLevel.federation),
        (3, "PVOIL", UnitLevel.affiliated),
    ]


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "filename", "code"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(200), "anh.png", "not_a_spreadsheet"),
        (b"%PDF-1.7\n1 0 obj\n", "danh-sach.pdf", "not_a_spreadsheet"),
        (b"this is not a workbook", "danh-sach.xlsx", "not_a_spreadsheet"),
        (docx(), "danh-sach.xlsx", "not_a_spreadsheet"),
        (b"\x00\x01\x02binary\x00", "danh-sach.csv", "not_a_spreadsheet"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "danh-sach.xls", "xls_not_supported"),
        ("Tên đơn,Cụm\n".encode("cp1258", errors="replace"), "danh-sach.csv", "csv_not_utf8"),
        (b"", "danh-sach.csv", "empty_file"),
        (csv_bytes(HEADER_VI[:4], [], bom=True), "danh-sach.csv", "empty_file"),
        (csv_bytes(["Mã đơn vị", "Tên đơn vị"], ["PVGAS", "Khí"]), "a.csv", "missing_columns"),
        (xlsx(["Mã", "Tên", "Cấp", "Mã đơn vị"]), "a.xlsx", "missing_columns"),
        (csv_bytes([*HEADER_VI, "Code"], ["A", "B", "", "sub"]), "a.csv", "repeated_column"),
        (b"a" * (MAX_FILE_BYTES + 1), "danh-sach.csv", "file_too_large"),
    ],
)  # fmt: skip
def test_a_file_that_cannot_be_read_is_refused_whole(
    content: bytes, filename: str, code: str
) -> None:
    with pytest.raises(SpreadsheetError) as refused:
        parse_units(content, filename)

    assert refused.value.code == code
    assert refused.value.field == "file"
    assert refused.value.message_vi and refused.value.message_en
    assert refused.value.message_vi != refused.value.message_en


def test_an_xlsx_that_unpacks_too_large_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spreadsheet, "LAYOUT", replace(spreadsheet.LAYOUT, max_unpacked_bytes=1000))

    with pytest.raises(SpreadsheetError) as refused:
        parse_units(template_xlsx(), "mau.xlsx")

    assert refused.value.code == "file_too_large"
    assert "giải nén" in refused.value.message_vi and "unpacked" in refused.value.message_en


def test_more_rows_than_the_limit_are_refused_whole() -> None:
    rows = [[f"U{n}", f"Công đoàn {n}", "CDDKVN", "affiliated"] for n in range(MAX_ROWS + 1)]
    content = csv_bytes(["code", "name", "parent_code", "level"], *rows)
    assert len(content) < MAX_FILE_BYTES

    with pytest.raises(SpreadsheetError) as refused:
        parse_units(content, "units.csv", known_codes={"CDDKVN"})

    assert refused.value.code == "too_many_rows"
    assert "20.000" in refused.value.message_vi and "20,000" in refused.value.message_en
    at_the_limit = csv_bytes(["code", "name", "parent_code", "level"], *rows[:-1])
    assert len(parse_units(at_the_limit, "units.csv", known_codes={"CDDKVN"}).rows) == MAX_ROWS
