"""The initiatives template an officer downloads: the sheet with the Vietnamese headers, an
example row, drop-down lists for the closed columns, and a guide sheet saying how to fill each
column."""

from datetime import date

import openpyxl
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from services.submissions.initiatives.schemas import CONTENT_MIN, TITLE_MIN
from services.submissions.initiatives.spreadsheet.cells import AMOUNT_COLUMNS, DATE_COLUMNS
from services.submissions.initiatives.spreadsheet.layout import (
    AUTHOR_FORMAT,
    AUTHORS_EXAMPLE,
    FIELD_LABELS_VI,
    FIELDS,
    HEADERS_VI,
    MAX_ROWS,
)
from services.submissions.spreadsheet_writing import drop_down, guide_sheet, xlsx_bytes
from shared.contracts.bounds import TITLE_MAX
from shared.contracts.vocabulary import InitiativeField

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
    for field in DATE_COLUMNS:
        sheet[f"{get_column_letter(FIELDS.index(field) + 1)}2"].number_format = "DD/MM/YYYY"
    for field in AMOUNT_COLUMNS:
        sheet[f"{get_column_letter(FIELDS.index(field) + 1)}2"].number_format = "#,##0"
    last = MAX_ROWS + 1
    for field, choices, title in (
        ("field", FIELD_LABELS_VI.values(), "Lĩnh vực không hợp lệ"),
        ("confidential", ("Có", "Không"), "Chọn Có hoặc Không"),
    ):
        column = get_column_letter(FIELDS.index(field) + 1)
        drop_down(sheet, column, choices, title, "Chọn một giá trị trong danh sách.", last)
    guide = guide_sheet(workbook, _GUIDE, (30, 110))
    guide["A1"].font = guide["B1"].font = Font(bold=True)
    for (cell,) in guide.iter_rows(min_col=2, max_col=2):
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    return xlsx_bytes(workbook)


_GUIDE = (
    ("Cột", "Cách điền"),
    (
        HEADERS_VI["title"],
        f"Bắt buộc, từ {TITLE_MIN} đến {TITLE_MAX} ký tự. Mỗi dòng là một sáng kiến; không lặp "
        "lại cùng một sáng kiến của cùng đơn vị.",
    ),
    (HEADERS_VI["unit_code"], "Bắt buộc. Mã công đoàn của đơn vị có sáng kiến, ví dụ PVGAS."),
    (
        HEADERS_VI["field"],
        "Bắt buộc, một trong: " + ", ".join(FIELD_LABELS_VI.values()) + " (có thể ghi tắt "
        "“An toàn” cho An toàn vệ sinh lao động).",
    ),
    (
        HEADERS_VI["problem"],
        f"Bắt buộc, ít nhất {CONTENT_MIN} ký tự: thực trạng, vấn đề cần giải quyết.",
    ),
    (
        HEADERS_VI["solution"],
        f"Bắt buộc, ít nhất {CONTENT_MIN} ký tự: nội dung giải pháp đã thực hiện.",
    ),
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
