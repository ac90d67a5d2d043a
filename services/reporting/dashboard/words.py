"""The dashboard page's words, in Vietnamese (the default) and English, read through the one
`shared.i18n.Translator` (which also writes its numbers as each language does).

What the campaign file says (target, phase, review and award names) is shown in English where
the file gives an English name (`name_en`), and the progress computation's summaries and reasons
are said in English (shared.campaign.progress); what has no English is the plan's own
Vietnamese, shown as it is and marked lang="vi".
"""

from typing import Final

WORDS: Final[dict[str, tuple[str, str]]] = {
    "app.name": ("Thi Đua", "Thi Đua"),
    "app.owner": ("Công đoàn Dầu khí Việt Nam", "Vietnam Petroleum Trade Union"),
    "title": ("Bảng điều khiển thi đua", "Emulation dashboard"),
    "skip": ("Bỏ qua, đến nội dung chính", "Skip to main content"),
    "lang.label": ("Ngôn ngữ", "Language"),
    "campaign": ("Kế hoạch thi đua năm {code}", "Emulation campaign {code}"),
    "theme": ("Chủ đề thi đua", "Theme"),
    "phase": ("Đợt thi đua", "Phase"),
    "show": ("Xem", "Show"),
    "updated": ("Số liệu cập nhật lúc {at}", "Figures as of {at}"),
    "to_date": ("Lũy kế từ đầu năm đến hết {phase}", "Year to date, up to the end of {phase}"),
    "kpi.submitted": ("Sáng kiến đã nộp", "Initiatives submitted"),
    "kpi.recognised": ("Sáng kiến được công nhận", "Initiatives recognised"),
    "kpi.benefit": ("Giá trị làm lợi dự kiến", "Expected benefit"),
    "kpi.targets": ("Chỉ tiêu đã đạt", "Targets met"),
    "of_goal": ("mục tiêu {goal}", "goal {goal}"),
    "trend.title": ("Tiến độ chỉ tiêu {goal} sáng kiến", "Progress toward {goal} initiatives"),
    "trend.plain": ("Tiến độ nộp sáng kiến", "Initiatives over time"),
    "trend.latest": (
        "Đến ngày {date}: {submitted} sáng kiến đã nộp, {recognised} được công nhận.",
        "By {date}: {submitted} initiatives submitted, {recognised} recognised.",
    ),
    "trend.note": (
        "Số sáng kiến lũy kế theo ngày nhận; vùng màu là các đợt thi đua, vạch đứt là mốc sơ "
        "kết, tổng kết.",
        "Running totals by the day received; shaded bands are the phases, dashed lines their "
        "closing reviews.",
    ),
    "trend.empty": ("Chưa có sáng kiến nào được nộp.", "No initiative has been submitted yet."),
    "submitted": ("Đã nộp", "Submitted"),
    "recognised": ("Được công nhận", "Recognised"),
    "goal": ("Mục tiêu", "Goal"),
    "so_ket": ("Sơ kết", "Interim review"),
    "tong_ket": ("Tổng kết", "Final review"),
    "report_due": ("hạn báo cáo {date}", "report due {date}"),
    "targets.title": ("Bảy chỉ tiêu thi đua", "The seven targets"),
    "targets.note": (
        "Tỷ lệ đạt so với mục tiêu (vạch đen); đến hết {phase}.",
        "Percent achieved against the goal (black mark); up to the end of {phase}.",
    ),
    "target": ("Chỉ tiêu {n}", "Target {n}"),
    "met": ("Đạt", "Met"),
    "missed": ("Chưa đạt", "Not met"),
    "exceeded": ("Vượt mức", "Exceeded"),
    "lagging": ("Đơn vị chưa đạt", "Units not there yet"),
    "lagging.more": ("và {n} đơn vị khác", "and {n} more units"),
    "league.title": ("Bảng xếp hạng công đoàn trực thuộc", "League table: affiliated unions"),
    "league.shown": ("{shown}/{total} đơn vị", "{shown} of {total} units"),
    "league.closed": (
        "Kết quả xếp hạng khi kết thúc đợt (chính thức)",
        "Standings at the phase's close (final)",
    ),
    "league.live": ("Xếp hạng tạm tính, đến nay", "Provisional ranking, to date"),
    "points": ("Điểm thi đua", "Emulation points"),
    "rank": ("Hạng", "Rank"),
    "unit": ("Đơn vị", "Unit"),
    "targets_met": ("Chỉ tiêu đạt", "Targets met"),
    "benefit": ("Làm lợi dự kiến", "Expected benefit"),
    "fields.title": ("Sáng kiến theo lĩnh vực", "Initiatives by field"),
    "field": ("Lĩnh vực", "Field"),
    "honour.title": ("Bảng vàng", "Honour board"),
    "honour.initiatives": ("Sáng kiến làm lợi nhiều nhất", "Initiatives of greatest benefit"),
    "honour.awards": ("Khen thưởng", "Awards"),
    "initiative": ("Sáng kiến", "Initiative"),
    "submitted_on": ("Ngày nộp", "Submitted on"),
    "member": ("Cá nhân", "Individual"),
    "unit_kind": ("Tập thể", "Collective"),
    "none": ("Chưa có số liệu.", "No figures yet."),
    "no_campaign": (
        "Chưa có kế hoạch thi đua nào được ban hành.",
        "No emulation campaign has been published yet.",
    ),
    "unknown_campaign": ("Chưa có kế hoạch thi đua {code}.", "There is no campaign {code}."),
    "unknown_phase": (
        "Kế hoạch {code} không có đợt {phase}.",
        "Campaign {code} has no phase {phase}.",
    ),
    "chart.fallback": (
        "Biểu đồ cần JavaScript; số liệu có ở phần chữ bên dưới.",
        "The chart needs JavaScript; the figures are also given below as text.",
    ),
}
