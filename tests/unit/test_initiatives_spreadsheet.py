"""Initiatives imported in bulk from the spreadsheets officers keep: Vietnamese headers, Excel
date cells or dd/mm/yyyy text, amounts written 1.200.000.000, every author with their share in
one cell. Bad rows are reported row by row in both languages; the good rows still come through,
each a valid `InitiativeCreate` with its real authors."""

import io
from datetime import date, datetime, timedelta

import openpyxl
import pytest

from services.submissions.initiatives.schemas import AuthorIn, InitiativeCreate
from services.submissions.initiatives.spreadsheet import (
    FIELDS,
    HEADERS_VI,
    InitiativeRow,
    ParsedInitiatives,
    SpreadsheetError,
    parse_initiatives,
    template_xlsx,
)
from services.submissions.initiatives.spreadsheet.cells import (
    AMOUNT_COLUMNS,
    DATE_COLUMNS,
    PARSERS,
)
from services.submissions.initiatives.spreadsheet.layout import FIELD_LABELS_VI
from shared.contracts.bounds import VND_MAX
from shared.contracts.initiative_parts import INITIATIVE_PARTS
from shared.contracts.vocabulary import InitiativeField
from shared.formatting import format_vnd
from tests.unit.sheet_files import csv_bytes, problems, xlsx

HEADER_VI = [
    "Tên sáng kiến (*)",
    "Mã đơn vị",
    "Lĩnh vực",
    "Thực trạng",
    "Giải pháp",
    "Điểm mới",
    "Ngày áp dụng",
    "Giá trị làm lợi (đồng)",
    "Bảo mật",
    "Tác giả",
]
PROBLEM = "Kiểm tra rò rỉ khí làm thủ công, mất 4 giờ mỗi ca."
SOLUTION = "Lắp cảm biến nồng độ khí, cảnh báo tự động về phòng điều độ."


def row(
    title: object = "Cải tiến quy trình kiểm tra rò rỉ khí",
    unit: object = "PVGAS",
    field: object = "Kỹ thuật",
    problem: object = PROBLEM,
    solution: object = SOLUTION,
    novelty: object = None,
    applied: object = "15/03/2022",
    benefit: object = "1.200.000.000",
    confidential: object = None,
    authors: object = "PVGAS-0012: Nguyễn Văn An: 70%; PVGAS-0047: Trần Thị Bích Ngọc: 30%",
) -> list[object]:
    return [title, unit, field, problem, solution, novelty, applied, benefit, confidential, authors]


def parse_rows(*rows: list[object], campaign_code: str | None = None) -> ParsedInitiatives:
    """`rows` under the Vietnamese header, uploaded as a workbook."""
    return parse_initiatives(xlsx(HEADER_VI, *rows), "sang-kien.xlsx", campaign_code=campaign_code)


def by_row(parsed: ParsedInitiatives) -> dict[int, InitiativeCreate]:
    return {r.row: r.initiative for r in parsed.rows}


def test_an_officers_workbook_parses_to_initiatives_with_their_real_authors() -> None:
    data = xlsx(
        ["DANH SÁCH SÁNG KIẾN NĂM 2022 - CÔNG ĐOÀN TỔNG CÔNG TY KHÍ"],
        [],
        HEADER_VI,
        row(
            applied=datetime(2022, 3, 15),  # a real Excel date cell
            novelty="Lần đầu dùng cảm biến không dây\n\ntại đơn vị.",
            confidential="x",
            authors="PVGAS-0012: Nguyễn Văn An: 70%\nPVGAS-0047 : Trần  Thị Bích Ngọc : 30 %",
        ),
        row(
            title="Bảng kiểm an toàn trước khi vào bồn chứa",
            unit="pvgas-kcm",
            field="An toàn",
            applied="01/07/2022",
            benefit=350_000_000,  # a numeric cell
            confidential="Không",
            authors="PVGAS-0101: Lê Văn Cường",  # a single author may omit the share
        ),
        [],  # blank rows are skipped, the numbering still follows the sheet
        row(
            title="Số hoá sổ giao ca",
            field="digital_transformation",
            applied="2022-09-30",
            benefit="1,200,000,000",
            confidential="có",
            authors="PVGAS-0012: Nguyễn Văn An: 50%; PVGAS-0200: Phạm Thu Hà: 50%;",
        ),
    )

    parsed = parse_initiatives(data, "sang-kien-2022.xlsx")

    assert parsed.errors == []
    assert [r.row for r in parsed.rows] == [4, 5, 7]
    rows = by_row(parsed)
    assert rows[4] == InitiativeCreate(
        title="Cải tiến quy trình kiểm tra rò rỉ khí",
        unit_code="PVGAS",
        field=InitiativeField.technical,
        problem=PROBLEM,
        solution=SOLUTION,
        novelty="Lần đầu dùng cảm biến không dây\n\ntại đơn vị.",
        first_applied_on=date(2022, 3, 15),
        expected_benefit_vnd=1_200_000_000,
        confidential=True,
        authors=[
            AuthorIn(member_id="PVGAS-0012", full_name="Nguyễn Văn An", share_percent=70),
            AuthorIn(member_id="PVGAS-0047", full_name="Trần Thị Bích Ngọc", share_percent=30),
        ],
    )
    assert rows[5].unit_code == "PVGAS-KCM"
    assert rows[5].field is InitiativeField.occupational_safety
    assert rows[5].first_applied_on == date(2022, 7, 1)
    assert rows[5].expected_benefit_vnd == 350_000_000
    assert rows[5].confidential is False
    assert rows[5].novelty is None
    assert rows[5].authors == [
        AuthorIn(member_id="PVGAS-0101", full_name="Lê Văn Cường", share_percent=100)
    ]
    assert rows[7].field is InitiativeField.digital_transformation
    assert rows[7].first_applied_on == date(2022, 9, 30)
    assert rows[7].expected_benefit_vnd == 1_200_000_000
    assert rows[7].confidential is True
    assert [(a.member_id, a.share_percent) for a in rows[7].authors] == [
        ("PVGAS-0012", 50),
        ("PVGAS-0200", 50),
    ]


def test_a_semicolon_csv_with_a_bom_from_vietnamese_excel_parses() -> None:
    data = csv_bytes(
        HEADER_VI,
        row(authors="PVGAS-0012: Nguyễn Văn An: 60%\r\nPVGAS-0047: Trần Thị Bích Ngọc: 40%"),
        row(title="Quản lý vật tư bằng mã vạch", field="Quản lý", benefit="", applied=""),
        delimiter=";",
        bom=True,
    )

    parsed = parse_initiatives(data, "sang-kien.csv")

    assert parsed.errors == []
    first, second = parsed.rows
    assert (first.row, second.row) == (2, 3)
    assert first.initiative.title == "Cải tiến quy trình kiểm tra rò rỉ khí"
    assert first.initiative.first_applied_on == date(2022, 3, 15)
    assert first.initiative.expected_benefit_vnd == 1_200_000_000
    assert [(a.full_name, a.share_percent) for a in first.initiative.authors] == [
        ("Nguyễn Văn An", 60),
        ("Trần Thị Bích Ngọc", 40),
    ]
    assert second.initiative.field is InitiativeField.management
    assert second.initiative.first_applied_on is None
    assert second.initiative.expected_benefit_vnd is None


def test_english_headers_and_a_plain_comma_csv_are_accepted_too() -> None:
    header = ["title", "unit_code", "field", "problem", "solution", "first_applied_on"]
    header += ["expected_benefit_vnd", "confidential", "authors"]
    values = row()
    del values[5]  # no novelty column
    parsed = parse_initiatives(csv_bytes(header, values), "initiatives.csv")

    assert parsed.errors == []
    assert parsed.rows[0].initiative.authors[1].member_id == "PVGAS-0047"


def test_bad_rows_are_reported_row_by_row_in_both_languages_and_good_rows_survive() -> None:
    parsed = parse_rows(
        row(),  # 2: good
        row(authors="PVGAS-0012: Nguyễn Văn An: 60%; PVGAS-0047: Trần Thị Bích Ngọc: 30%"),
        row(field="Văn hoá"),  # 4
        row(applied="31/02/2022"),  # 5
        row(benefit="-5.000.000"),  # 6
        row(title=None),  # 7
        row(authors="Nguyễn Văn An 70%, Trần Thị Bích Ngọc 30%"),  # 8
        row(title="Sổ tay vận hành an toàn", applied=datetime(2021, 12, 1)),  # 9: good
    )

    one_on_each_bad_row = {
        3: ("authors", "shares_not_100"),
        4: ("field", "unknown_field"),
        5: ("first_applied_on", "date_invalid"),
        6: ("expected_benefit_vnd", "negative_amount"),
        7: ("title", "required"),
        8: ("authors", "author_format"),
    }
    assert problems(parsed) == [(row, *problem) for row, problem in one_on_each_bad_row.items()]
    assert [r.row for r in parsed.rows] == [2, 9]
    assert by_row(parsed)[9].first_applied_on == date(2021, 12, 1)
    messages = {e.row: (e.message_vi, e.message_en) for e in parsed.errors}
    assert messages[3] == (
        "Tổng tỷ lệ đóng góp của các tác giả phải bằng 100%, hiện là 90%",
        "Authors' contribution shares must sum to 100%, got 90%",
    )
    assert "Văn hoá" in messages[4][0] and "Kỹ thuật" in messages[4][0]
    assert "Văn hoá" in messages[4][1] and "technical" in messages[4][1]
    assert "31/02/2022" in messages[5][0] and "không tồn tại" in messages[5][0]
    assert "does not exist" in messages[5][1]
    assert "không được âm" in messages[6][0] and "negative" in messages[6][1]
    assert messages[7] == ("Thiếu tên sáng kiến", "Title is missing")
    assert "MÃ:Họ và tên:Tỷ lệ%" in messages[8][0] and "code:full name:share%" in messages[8][1]


def test_an_amount_past_the_contracts_bound_is_refused_by_that_bound_alone() -> None:
    """One bound, the contract's (shared.contracts.bounds.VND_MAX), whatever the size: an
    amount past it is refused as the API refuses it, typed or written."""
    parsed = parse_rows(
        row(benefit=VND_MAX),
        row(benefit=VND_MAX + 1),
        row(benefit=f"{10**20:,}".replace(",", ".")),  # past what a bigint holds
        row(benefit=10**20),
    )
    assert [r.row for r in parsed.rows] == [2]
    assert {code for _, _, code in problems(parsed)} == {"less_than_equal"}
    assert len({(e.message_vi, e.message_en) for e in parsed.errors}) == 1


def test_each_field_of_the_vocabulary_is_read_by_its_code_and_names() -> None:
    """A field added to the vocabulary is read without a list of the sheet's own; the
    template's drop-down choices too."""
    for field in InitiativeField:
        names = (field.value, field.label_vi, field.label_en, FIELD_LABELS_VI[field])
        assert {PARSERS["field"](name) for name in names} == {field}, field


def test_the_schemas_own_rules_apply_with_their_own_messages() -> None:
    # A date in the future is the campaign clock's to judge, at submission (rules.check_dates):
    # the sheet itself reads it as any date.
    tomorrow = date.today() + timedelta(days=1)
    parsed = parse_rows(
        row(applied=tomorrow.strftime("%d/%m/%Y")),
        row(authors="PVGAS-0012: Nguyễn Văn An: 50%; PVGAS-0012: Nguyễn Văn An: 50%"),
        row(title="Ngắn"),
        row(problem="Ngắn quá"),
        row(authors="PVGAS-0012: A: 100%"),
    )

    assert problems(parsed) == [
        (3, "authors", "author_repeated"),
        (4, "title", "string_too_short"),
        (5, "problem", "string_too_short"),
        (6, "authors", "string_too_short"),
    ]
    vi = {e.row: e.message_vi for e in parsed.errors}
    en = {e.row: e.message_en for e in parsed.errors}
    assert vi[3] == "Tác giả PVGAS-0012 được khai báo hơn một lần"
    assert vi[4] == "Tên sáng kiến: quá ngắn: tối thiểu 5 ký tự"
    assert en[4].startswith("Title: ")
    assert vi[5] == "Thực trạng: quá ngắn: tối thiểu 10 ký tự"
    assert vi[6] == "Tác giả thứ 1, họ và tên: quá ngắn: tối thiểu 2 ký tự"
    assert [r.row for r in parsed.rows] == [2]


@pytest.mark.parametrize(
    ("benefit", "expected"),
    [
        ("1.200.000.000", 1_200_000_000),
        ("1,200,000,000", 1_200_000_000),
        ("1200000000", 1_200_000_000),
        ("1 200 000 000 đồng", 1_200_000_000),
        ("500.000 VNĐ", 500_000),
        (format_vnd(1_200_000_000), 1_200_000_000),  # as every page and export writes it
        ("0", 0),
        (75_000_000, 75_000_000),
        (75_000_000.0, 75_000_000),
    ],
)
def test_amounts_are_read_as_officers_write_them(benefit: object, expected: int) -> None:
    parsed = parse_rows(row(benefit=benefit))

    assert parsed.errors == []
    assert parsed.rows[0].initiative.expected_benefit_vnd == expected


@pytest.mark.parametrize(
    ("benefit", "code"),
    [
        ("1.200.000,50", "decimal_amount"),
        ("2,5", "decimal_amount"),
        (1500.75, "decimal_amount"),
        (-3, "negative_amount"),
        ("(1.000.000)", "negative_amount"),
        ("1,2 tỷ", "amount_format"),
        ("khoảng 1 tỷ", "amount_format"),
    ],
)
def test_decimal_negative_and_worded_amounts_are_refused(benefit: object, code: str) -> None:
    parsed = parse_rows(row(benefit=benefit))

    assert problems(parsed) == [(2, "expected_benefit_vnd", code)]
    assert parsed.errors[0].message_vi and parsed.errors[0].message_en


@pytest.mark.parametrize(
    ("authors", "code"),
    [
        ("PVGAS-0012: Nguyễn Văn An; PVGAS-0047: Trần Thị Bích Ngọc: 30%", "share_missing"),
        ("PVGAS-0012: Nguyễn Văn An: 33,5%; PVGAS-0047: Trần Thị Ngọc: 66,5%", "share_not_integer"),
        ("PVGAS-0012: Nguyễn Văn An: bảy mươi", "author_format"),
        (": Nguyễn Văn An: 100%", "author_format"),
        ("PVGAS-0012: Nguyễn Văn An: 100%: trưởng nhóm", "author_format"),
    ],
)  # fmt: skip
def test_malformed_author_cells_are_refused(authors: str, code: str) -> None:
    parsed = parse_rows(row(authors=authors))

    assert problems(parsed) == [(2, "authors", code)]


def test_month_year_dates_and_number_cells_are_refused_dashes_are_fine() -> None:
    parsed = parse_rows(row(applied="03/2022"), row(applied=44635), row(applied="15-03-2022"))

    assert problems(parsed) == [
        (2, "first_applied_on", "date_format"),
        (3, "first_applied_on", "date_format"),
    ]
    assert by_row(parsed)[4].first_applied_on == date(2022, 3, 15)


def test_the_same_initiative_twice_is_reported_on_its_second_row() -> None:
    parsed = parse_rows(row(), row(title="CẢI TIẾN QUY TRÌNH KIỂM TRA RÒ RỈ KHÍ"))

    assert problems(parsed) == [(3, "title", "duplicate_initiative")]
    assert "dòng 2" in parsed.errors[0].message_vi
    assert [r.row for r in parsed.rows] == [2]


def test_the_campaign_can_be_set_for_the_whole_file() -> None:
    parsed = parse_rows(row(), campaign_code="2023")

    assert parsed.rows[0].initiative.campaign_code == "2023"


def test_a_file_without_the_required_columns_is_refused_as_a_whole() -> None:
    data = xlsx(["Tên sáng kiến", "Mã đơn vị", "Lĩnh vực"], ["Sáng kiến A", "PVGAS", "Khác"])

    with pytest.raises(SpreadsheetError) as refused:
        parse_initiatives(data, "a.xlsx")

    assert refused.value.code == "missing_columns"
    assert "Tác giả" in refused.value.message_vi and "authors" in refused.value.message_en


def test_a_file_with_only_headers_is_empty() -> None:
    with pytest.raises(SpreadsheetError) as refused:
        parse_rows()

    assert refused.value.code == "empty_file"


def test_the_guide_says_what_the_api_requires_and_bounds() -> None:
    """Each column's guide says it is required as the initiative's parts declare, and the
    lengths the API's schema holds a title, a problem and a solution to."""
    guide = openpyxl.load_workbook(io.BytesIO(template_xlsx())).worksheets[1]
    how = {column: text for column, text in guide.iter_rows(min_row=2, values_only=True) if column}
    for part in INITIATIVE_PARTS:
        needed = how[HEADERS_VI[part.name]].startswith("Bắt buộc")
        assert needed == part.required, part.name
    schema = InitiativeCreate.model_json_schema()["properties"]
    title = schema["title"]
    assert f"từ {title['minLength']} đến {title['maxLength']} ký tự" in how[HEADERS_VI["title"]]
    for name in ("problem", "solution"):
        assert f"ít nhất {schema[name]['minLength']} ký tự" in how[HEADERS_VI[name]]


def test_the_templates_example_formats_each_date_and_amount_column_as_it_is_read() -> None:
    sheet = openpyxl.load_workbook(io.BytesIO(template_xlsx())).worksheets[0]
    formats = {
        field: sheet.cell(row=2, column=i).number_format for i, field in enumerate(FIELDS, 1)
    }
    assert {f for f, shown in formats.items() if shown == "DD/MM/YYYY"} == set(DATE_COLUMNS)
    assert set(DATE_COLUMNS) == {"first_applied_on", "received_on"}
    assert {f for f, shown in formats.items() if shown == "#,##0"} == set(AMOUNT_COLUMNS)
    assert set(AMOUNT_COLUMNS) == {"expected_benefit_vnd", "measured_benefit_vnd"}


def test_the_template_round_trips() -> None:
    content = template_xlsx()
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    sheet, guide = workbook.worksheets

    assert [cell.value for cell in sheet[1]] == [HEADERS_VI[field] for field in FIELDS]
    assert guide.title == "Hướng dẫn"
    explained = {row[0] for row in guide.iter_rows(values_only=True)}
    assert set(HEADERS_VI.values()) <= explained

    parsed = parse_initiatives(content, "mau-sang-kien.xlsx")

    assert parsed.errors == []
    assert len(parsed.rows) == 1
    example = parsed.rows[0]
    assert isinstance(example, InitiativeRow) and example.row == 2
    assert [(a.member_id, a.share_percent) for a in example.initiative.authors] == [
        ("PVGAS-0012", 70),
        ("PVGAS-0047", 30),
    ]
    assert example.initiative.first_applied_on == date(2022, 3, 15)
    assert example.initiative.expected_benefit_vnd == 1_200_000_000
