"""Báo cáo."""

WORDS: dict[str, tuple[str, str]] = {
    "rep.intro": (
        "Gửi kế hoạch và kết quả thực hiện của đơn vị trong đợt thi đua, kèm các số liệu theo "
        "chỉ tiêu của kế hoạch.",
        "File the unit's plan and its results for the phase, with the figures the campaign's "
        "targets are measured by.",
    ),
    "rep.kind": ("Loại báo cáo", "Kind of report"),
    "rep.figures": ("Số liệu theo chỉ tiêu (%)", "Figures by target (%)"),
    "rep.figures_hint": (
        "Tỷ lệ phần trăm đạt được, từ 0 đến 100; bỏ trống nếu chưa có số liệu.",
        "The percentage achieved, 0 to 100; leave empty if not known yet.",
    ),
    "rep.target": ("Chỉ tiêu {number}", "Target {number}"),
    "rep.summary": ("Nội dung báo cáo", "Summary"),
    "rep.submit": ("Nộp báo cáo", "File the report"),
    "rep.filed_on": ("Ngày nộp", "Filed on"),
    "rep.filed_on_hint": (
        "Ngày đơn vị nộp báo cáo (dd/mm/yyyy), khi nhập lại báo cáo giấy; bỏ trống nếu nộp hôm "
        "nay.",
        "The day the unit filed it (dd/mm/yyyy), when keying in a paper report; leave empty for "
        "today.",
    ),
    "rep.filed": (
        "Đã nộp báo cáo {kind} của {unit}, {phase}.",
        "Filed the {kind} report of {unit}, {phase}.",
    ),
    "rep.late": ("Nộp muộn", "Filed late"),
    "rep.late_due": ("Nộp muộn: hạn nộp là ngày {due}.", "Filed late: it was due on {due}."),
    "rep.list": ("Báo cáo đã nộp", "Reports filed"),
    "rep.empty": ("Chưa có báo cáo nào.", "No reports yet."),
    "rep.due_on": ("Hạn nộp", "Due on"),
    "rep.on_time": ("Đúng hạn", "On time"),
}
