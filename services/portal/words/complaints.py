"""Đơn thư khiếu nại, tố cáo."""

WORDS: dict[str, tuple[str, str]] = {
    "nav.complaints": ("Đơn thư", "Complaint cases"),
    "cmp.title": ("Đơn thư khiếu nại, tố cáo", "Complaint cases"),
    "cmp.intro": (
        "Các vụ việc của đơn vị và cấp dưới: hạn giải quyết, ngày giải quyết; vụ việc quá hạn "
        "được đưa lên đầu.",
        "The cases of your unit and the units below: due dates and when they were resolved; "
        "overdue cases come first.",
    ),
    "cmp.count": ("{total} vụ việc, {overdue} quá hạn", "{total} cases, {overdue} overdue"),
    "cmp.empty": ("Chưa có vụ việc nào.", "No cases yet."),
    "cmp.summary": ("Nội dung vụ việc", "What the case is about"),
    "cmp.received_on": ("Ngày nhận đơn", "Received on"),
    "cmp.due_on": ("Hạn giải quyết", "Due on"),
    "cmp.due_hint": (
        "Bỏ trống: theo số ngày giải quyết của kế hoạch",
        "Empty: the campaign's resolution days after it was received",
    ),
    "cmp.resolved_on": ("Ngày giải quyết", "Resolved on"),
    "cmp.resolved_on_label": ("Ngày giải quyết (dd/mm/yyyy)", "Resolved on (dd/mm/yyyy)"),
    "cmp.overdue": ("Quá hạn", "Overdue"),
    "cmp.open": ("Đang giải quyết", "Open"),
    "cmp.resolved_badge": ("Đã giải quyết", "Resolved"),
    "cmp.resolve": ("Ghi nhận đã giải quyết", "Record as resolved"),
    "cmp.record": ("Ghi nhận đơn thư mới", "Record a new case"),
    "cmp.record_submit": ("Ghi nhận", "Record the case"),
    "cmp.recorded": (
        "Đã ghi nhận vụ việc của {unit}, hạn giải quyết {due}.",
        "Recorded the case of {unit}, due on {due}.",
    ),
    "cmp.resolved": (
        "Đã ghi nhận vụ việc của {unit} đã giải quyết.",
        "Recorded the case of {unit} as resolved.",
    ),
}
