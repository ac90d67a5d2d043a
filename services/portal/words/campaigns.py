"""Kế hoạch thi đua: publishing the file, opening and closing phases."""

WORDS: dict[str, tuple[str, str]] = {
    "cpg.intro": (
        "Ban hành kế hoạch thi đua của năm từ tệp kế hoạch (YAML), rồi mở và đóng từng đợt.",
        "Publish the year's campaign from its campaign file (YAML), then open and close each "
        "phase.",
    ),
    "cpg.publish": ("Ban hành kế hoạch từ tệp", "Publish a campaign file"),
    "cpg.file": ("Tệp kế hoạch thi đua", "Campaign file"),
    "cpg.file_hint": (
        "Tệp YAML theo mẫu campaigns/2022.yaml. Tệp có lỗi sẽ được hiện từng dòng, lỗi ghi "
        "cạnh dòng.",
        "A YAML file like campaigns/2022.yaml. A file with problems is shown line by line, "
        "each problem beside its line.",
    ),
    "cpg.publish_submit": ("Ban hành", "Publish"),
    "cpg.file_missing": ("Chọn tệp kế hoạch thi đua", "Choose the campaign file"),
    "cpg.file_too_large": ("Tệp quá lớn (tối đa 2 MB)", "The file is too large (2 MB at most)"),
    "cpg.problems_count": (
        "{count} lỗi, ghi cạnh các dòng của tệp bên dưới",
        "{count} problems, shown beside the file's lines below",
    ),
    "cpg.file_review": ("Tệp {name} và các lỗi", "The file {name} and its problems"),
    "cpg.file_lines": ("Các dòng của tệp", "The file's lines"),
    "cpg.published": ("Đã ban hành kế hoạch thi đua {code}.", "Published campaign {code}."),
    "cpg.campaign": ("Kế hoạch thi đua {code}", "Campaign {code}"),
    "cpg.published_by": ("Ban hành bởi {who} ngày {on}", "Published by {who} on {on}"),
    "cpg.none": ("Chưa có kế hoạch thi đua nào.", "No campaign published yet."),
    "cpg.dates": ("Thời gian", "Dates"),
    "cpg.open": ("Mở đợt", "Open the phase"),
    "cpg.close": ("Đóng đợt…", "Close the phase…"),
    "cpg.close_submit": ("Đóng đợt", "Close the phase"),
    "cpg.closed_on": ("Ngày đóng đợt (dd/mm/yyyy)", "Closed on (dd/mm/yyyy)"),
    "cpg.closed_on_hint": (
        "Ngày sơ kết, tổng kết; bỏ trống: hôm nay",
        "The day of the closing review; empty: today",
    ),
    "cpg.force": (
        "Đóng sớm, trước ngày kết thúc của đợt",
        "Close early, before the phase's last day",
    ),
    "cpg.reason": ("Lý do đóng sớm", "Why close early"),
    "cpg.reason_hint": ("Bắt buộc khi đóng sớm", "Required when closing early"),
    "cpg.opened": ("Đã mở {phase} của kế hoạch {code}.", "Opened {phase} of campaign {code}."),
    "cpg.closed": ("Đã đóng {phase} của kế hoạch {code}.", "Closed {phase} of campaign {code}."),
    "cpg.refused": ("Không thực hiện được với {phase}: {why}", "Not done for {phase}: {why}"),
    "cpg.closed_on_was": ("Đóng ngày {day}", "Closed on {day}"),
    "cpg.reason_was": ("Lý do: {reason}", "Reason: {reason}"),
}
