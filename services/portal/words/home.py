"""Trang chủ."""

WORDS: dict[str, tuple[str, str]] = {
    "home.you": ("Bạn", "You"),
    "home.your_unit": ("Đơn vị của bạn", "Your unit"),
    "home.role": ("Vai trò", "Role"),
    "home.campaign": ("Kế hoạch thi đua", "Emulation campaign"),
    "home.no_campaign": (
        "Chưa ban hành kế hoạch thi đua {code}.",
        "Campaign {code} has not been published yet.",
    ),
    "home.plan": ("Kế hoạch số {number} ngày {date}", "Plan No. {number} of {date}"),
    "home.theme": ("Chủ đề thi đua", "Theme (as worded in the plan)"),
    "home.slogan": ("Chủ đề năm", "The year's motto (as worded in the plan)"),
    "home.phases": ("Các đợt thi đua", "Phases"),
    "home.phase_name": ("Đợt", "Phase"),
    "home.starts_on": ("Từ ngày", "From"),
    "home.ends_on": ("Đến ngày", "To"),
    "home.report_due_on": ("Hạn báo cáo kết quả", "Results report due"),
    "home.targets": ("Chỉ tiêu phấn đấu", "Targets"),
}
