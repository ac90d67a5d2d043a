"""Cây đơn vị: the union tree and a unit's page."""

WORDS: dict[str, tuple[str, str]] = {
    "tree.intro": (
        "{total} đơn vị, từ Công đoàn Dầu khí Việt Nam xuống các tổ công đoàn. Bấm vào tên để "
        "mở hoặc đóng một nhánh; bấm vào liên kết để xem đơn vị.",
        "{total} units, from the federation down to the union groups. Select a name to open or "
        "close its branch; follow a link to see the unit.",
    ),
    "tree.import": (
        "Nhập danh sách đơn vị từ tệp (Excel, CSV)",
        "Import units from a spreadsheet (Excel, CSV)",
    ),
    "tree.units": ("Các đơn vị", "Units"),
    "tree.empty": ("Chưa có đơn vị nào.", "No units yet."),
    "tree.toggle": ("Mở hoặc đóng nhánh", "Open or close the branch"),
    "tree.below": ("({count} đơn vị trực thuộc)", "({count} units below)"),
    "tree.open_unit": ("Xem đơn vị", "See the unit"),
    "tree.facts": ("Thông tin đơn vị", "About the unit"),
    "tree.code": ("Mã đơn vị", "Code"),
    "tree.name": ("Tên đơn vị", "Name"),
    "tree.level": ("Cấp", "Level"),
    "tree.parent": ("Đơn vị cấp trên", "Parent unit"),
    "tree.no_parent": ("Không có (cấp cao nhất)", "None (the top)"),
    "tree.cluster": ("Cụm thi đua", "Emulation cluster"),
    "tree.children": ("Đơn vị trực thuộc ({count})", "Units directly below ({count})"),
    "tree.no_children": ("Không có đơn vị trực thuộc.", "No units below."),
    "tree.officers": ("Cán bộ công đoàn của đơn vị", "The unit's officers"),
    "tree.contacts_unknown": (
        "Chưa đọc được danh sách liên hệ (hệ thống thông báo không trả lời).",
        "The contacts could not be read (notifications did not answer).",
    ),
    "tree.no_officers": ("Chưa có cán bộ nào được ghi nhận.", "No officers recorded."),
    "tree.person": ("Họ và tên", "Name"),
    "tree.email": ("Email", "Email"),
    "tree.no_email": ("(chưa có)", "(none)"),
    "tree.person_id": ("Mã người dùng", "Person ID"),
    "tree.contacts_link": (
        "Sửa liên hệ của đơn vị ({count} người khác)",
        "Edit the unit's contacts ({count} others)",
    ),
}
