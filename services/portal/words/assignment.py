"""Phân công hội đồng: the federation admin's bulk council assignment."""

WORDS: dict[str, tuple[str, str]] = {
    "assign.section": ("Hội đồng sáng kiến", "Initiative councils"),
    "assign.section_about": (
        "Phân công hội đồng chấm cho nhiều sáng kiến một lần; trả lại sáng kiến cho tác giả.",
        "Seat the councils of many initiatives at once; return an initiative to its authors.",
    ),
    "assign.title": ("Phân công hội đồng chấm sáng kiến", "Assign initiative councils"),
    "assign.intro": (
        "Chọn các sáng kiến, chọn thành viên hội đồng và số thành viên mỗi hội đồng: hệ thống "
        "chia đều, không bao giờ xếp tác giả chấm sáng kiến của mình.",
        "Choose the initiatives, the reviewers and the size of each council: the system "
        "spreads the work evenly and never seats an author on their own initiative's council.",
    ),
    "assign.done": (
        "Đã phân công hội đồng cho {count} sáng kiến.",
        "Councils assigned for {count} initiative(s).",
    ),
    "assign.result": ("Kết quả phân công", "Who sits on which council"),
    "assign.state": ("Tình trạng", "Showing"),
    "assign.state.unassigned": ("Chưa phân công hội đồng", "No council yet"),
    "assign.state.assigned": ("Đã phân công, chưa có kết quả", "Council seated, not decided"),
    "assign.state.all": ("Tất cả sáng kiến chưa có kết quả", "Every initiative not decided"),
    "assign.list": ("Sáng kiến ({count})", "Initiatives ({count})"),
    "assign.empty": ("Không có sáng kiến nào phù hợp.", "No initiative matches."),
    "assign.choose": ("Chọn", "Choose"),
    "assign.choose_one": ("Chọn sáng kiến “{title}”", "Choose “{title}”"),
    "assign.has_scored": ("đã chấm", "has scored"),
    "assign.no_council": ("Chưa có", "None yet"),
    "assign.return": ("Trả lại cho tác giả", "Return to the authors"),
    "assign.reason": ("Lý do trả lại (để tác giả bổ sung)", "Why (what the authors should add)"),
    "assign.return_submit": ("Trả lại", "Return it"),
    "assign.returned": (
        "Đã trả lại sáng kiến “{title}” cho tác giả để bổ sung.",
        "“{title}” is returned to its authors to complete.",
    ),
    "assign.reviewers": ("Thành viên hội đồng", "Reviewers"),
    "assign.contacts_hint": (
        "Người của Công đoàn Dầu khí Việt Nam trong danh bạ:",
        "The federation's people among the contacts:",
    ),
    "assign.typed": ("Mã thành viên khác", "Other reviewers' ids"),
    "assign.typed_hint": (
        "Cách nhau bằng dấu phẩy hoặc xuống dòng, ví dụ CDDKVN-0102, CDDKVN-0103",
        "Separated by commas or lines, e.g. CDDKVN-0102, CDDKVN-0103",
    ),
    "assign.size": ("Số thành viên mỗi hội đồng", "Members on each council"),
    "assign.size_hint": (
        "Theo kế hoạch thi đua, mỗi hội đồng có ít nhất số thành viên này.",
        "The campaign's minimum council size is filled in.",
    ),
    "assign.submit": ("Phân công hội đồng", "Assign the councils"),
}
