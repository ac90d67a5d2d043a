"""Hội đồng sáng kiến: a council member's pages."""

WORDS: dict[str, tuple[str, str]] = {
    "nav.council": ("Chấm sáng kiến", "Score initiatives"),
    "council.title": ("Hội đồng sáng kiến: chấm điểm", "Initiative council: scoring"),
    "council.intro": (
        "Các sáng kiến chờ bạn chấm điểm, và những sáng kiến bạn đã chấm trước đây.",
        "The initiatives waiting for your score, and those you scored before.",
    ),
    "council.pending": ("Chờ bạn chấm ({count})", "Waiting for your score ({count})"),
    "council.pending_empty": (
        "Không có sáng kiến nào chờ bạn chấm.",
        "No initiative is waiting for your score.",
    ),
    "council.initiative": ("Sáng kiến", "Initiative"),
    "council.expected_benefit": ("Giá trị làm lợi dự kiến", "Expected benefit"),
    "council.measured_benefit": ("Giá trị làm lợi thực tế", "Measured benefit"),
    "council.confidential": ("Mật", "Confidential"),
    "council.confidential_label": ("Sáng kiến mật", "Confidential initiative"),
    "council.mine": ("Bạn đã chấm ({count})", "You scored ({count})"),
    "council.mine_unread": (
        "Chưa đọc được danh sách bạn đã chấm; vui lòng tải lại trang sau ít phút.",
        "The list of what you scored could not be read; please reload in a few minutes.",
    ),
    "council.mine_empty": ("Bạn chưa chấm sáng kiến nào.", "You have not scored any initiative."),
    "council.my_vote": ("Biểu quyết của bạn", "Your vote"),
    "council.scored_at": ("Ngày chấm", "Scored on"),
    "council.outcome": ("Kết quả", "Outcome"),
    "council.vote": ("Biểu quyết", "Vote"),
    "council.vote_for": ("Công nhận", "Recognise"),
    "council.vote_against": ("Không công nhận", "Do not recognise"),
    "council.vote_missing": (
        "Chọn công nhận hoặc không công nhận",
        "Choose to recognise it or not",
    ),
    "council.scored_count": (
        "{scored}/{size} thành viên đã chấm",
        "{scored} of {size} members have scored",
    ),
    "council.back": ("« Danh sách chờ chấm", "« Waiting list"),
    "council.facts": ("Thông tin sáng kiến", "About the initiative"),
    "council.council": ("Hội đồng", "Council"),
    "council.content": ("Nội dung sáng kiến", "The initiative's content"),
    "council.content_unread": (
        "Chưa đọc được nội dung sáng kiến (hệ thống có thể đang cập nhật hội đồng); vui lòng "
        "tải lại trang sau ít phút.",
        "The initiative's content could not be read yet (the council may still be on its way "
        "to the system); please reload in a few minutes.",
    ),
    "council.content_withheld": (
        "Sáng kiến mật: bạn không được xem nội dung.",
        "A confidential initiative: its content is not yours to read.",
    ),
    "council.score_title": ("Phiếu chấm điểm", "Score sheet"),
    "council.rule_unread": (
        "Chưa đọc được tiêu chí chấm của kế hoạch thi đua.",
        "The campaign's scoring criteria could not be read.",
    ),
    "council.revise": (
        "Bạn đã chấm sáng kiến này; có thể sửa phiếu cho đến khi hội đồng có kết quả.",
        "You have scored this initiative; you may revise your sheet until the council decides.",
    ),
    "council.scale": (
        "Chấm mỗi tiêu chí theo thang điểm từ {min} đến {max}; điểm tổng hợp là tổng điểm "
        "các tiêu chí nhân trọng số.",
        "Score each criterion on the scale {min} to {max}; the weighted score is the sum of "
        "the criteria's scores times their weights.",
    ),
    "council.criterion_label": ("{name} (trọng số {weight}%)", "{name} (weight {weight}%)"),
    "council.criterion_hint": ("Điểm từ {min} đến {max}.", "A score from {min} to {max}."),
    "council.note": ("Ghi chú riêng", "Private note"),
    "council.note_hint": (
        "Chỉ hội đồng xem được; không đưa vào quyết định.",
        "For the council's eyes only; never in the decision.",
    ),
    "council.submit": ("Gửi phiếu chấm", "Submit the score sheet"),
    "council.not_open": (
        "Sáng kiến này không còn chờ bạn chấm.",
        "This initiative no longer waits for your score.",
    ),
    "council.scored": (
        "Đã ghi nhận phiếu chấm của bạn cho sáng kiến “{title}”.",
        "Your score sheet for “{title}” is recorded.",
    ),
    "council.decided": (
        "Hội đồng đã chấm đủ: {outcome}.",
        "The whole council has scored: {outcome}.",
    ),
    "sheet.link": ("Chấm nhiều sáng kiến trên một phiếu", "Score several on one sheet"),
    "sheet.title": ("Phiếu chấm nhiều sáng kiến", "A score sheet for several initiatives"),
    "sheet.intro": (
        "Nhập điểm và biểu quyết của bạn sau phiên họp hội đồng: cả phiếu được ghi nhận, hoặc "
        "không dòng nào nếu có dòng chưa hợp lệ.",
        "Enter your scores and votes after the council's meeting: the whole sheet is "
        "recorded, or no line of it while one is not valid.",
    ),
    "sheet.hint": (
        "Dòng để trống không được gửi; sáng kiến đó vẫn chờ bạn chấm.",
        "A blank row is not sent; that initiative keeps waiting for your score.",
    ),
    "sheet.weight": ("trọng số {weight}%", "weight {weight}%"),
    "sheet.submit": ("Gửi phiếu chấm", "Submit the sheet"),
    "sheet.empty": (
        "Phiếu chưa có dòng nào: nhập điểm và biểu quyết cho ít nhất một sáng kiến",
        "The sheet has no line: enter scores and a vote for at least one initiative",
    ),
    "sheet.recorded": (
        "Đã ghi nhận phiếu chấm của bạn cho {count} sáng kiến.",
        "Your scores on {count} initiative(s) are recorded.",
    ),
    "sheet.decided": (
        "{count} sáng kiến đã đủ điểm của cả hội đồng và có kết quả.",
        "{count} initiative(s) have every member's score and are decided.",
    ),
    # The 2022 campaign file's criteria, in English (the file names them in Vietnamese).
    "council.criterion.novelty": ("Tính mới", "Novelty"),
    "council.criterion.applicability": ("Khả năng áp dụng", "Applicability"),
    "council.criterion.effectiveness": ("Hiệu quả", "Effectiveness"),
    "council.criterion.scope": ("Phạm vi ảnh hưởng", "Scope of impact"),
}
