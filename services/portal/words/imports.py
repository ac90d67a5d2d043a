"""Nhập từ tệp."""

WORDS: dict[str, tuple[str, str]] = {
    "imp.title": ("Nhập dữ liệu từ tệp", "Import from a spreadsheet"),
    "imp.intro": (
        "Tải lên tệp Excel (XLSX) hoặc CSV theo mẫu. Lỗi được báo theo từng dòng.",
        "Upload an Excel (XLSX) or CSV file laid out as the template. Errors are listed row by "
        "row.",
    ),
    "imp.units": ("Danh sách đơn vị", "Union units"),
    "imp.initiatives": ("Danh sách sáng kiến", "Initiatives"),
    "imp.template": ("Tải tệp mẫu (XLSX)", "Download the template (XLSX)"),
    "imp.file": ("Tệp dữ liệu", "File"),
    "imp.file_hint": ("Tệp .xlsx hoặc .csv, tối đa 5 MB", "An .xlsx or .csv file, 5 MB at most"),
    "imp.keep_valid": (
        "Vẫn lưu các dòng hợp lệ nếu có dòng bị lỗi",
        "Keep the good rows even if some rows are wrong",
    ),
    "imp.submit": ("Tải lên và nhập", "Upload and import"),
    "imp.result": ("Kết quả nhập tệp", "Import result"),
    "imp.units_done": (
        "Thêm mới {created}, cập nhật {updated}, không đổi {unchanged} đơn vị.",
        "{created} units created, {updated} updated, {unchanged} unchanged.",
    ),
    "imp.initiatives_done": ("Đã nhập {created} sáng kiến.", "{created} initiatives imported."),
    "imp.nothing_stored": (
        "Có dòng không hợp lệ; chưa lưu dòng nào.",
        "Some rows are invalid; nothing was stored.",
    ),
    "imp.row_errors": ("Các dòng bị lỗi", "Rows with errors"),
    "imp.row": ("Dòng", "Row"),
    "imp.column": ("Cột", "Column"),
}
