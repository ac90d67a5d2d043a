"""Khen thưởng: award proposals, awards, the decision and certificates."""

WORDS: dict[str, tuple[str, str]] = {
    "awd.intro": (
        "Đề nghị khen thưởng được lập theo quy định khi đóng đợt của kế hoạch {code}: phê "
        "duyệt, hoặc không phê duyệt kèm lý do; khen thưởng đã phê duyệt có thể thu hồi kèm lý "
        "do.",
        "Award proposals are made by rule when a phase of campaign {code} closes: confirm, or "
        "reject with a reason; a confirmed award may be revoked with a reason.",
    ),
    "awd.campaign": ("Kế hoạch thi đua", "Campaign"),
    "awd.decision": (
        "Tải dự thảo quyết định (DOCX, {count} khen thưởng)",
        "Download the draft decision (DOCX, {count} awards)",
    ),
    "awd.group_proposed": ("Đề nghị chờ phê duyệt", "Proposals awaiting a decision"),
    "awd.group_confirmed": ("Đã phê duyệt", "Confirmed awards"),
    "awd.group_rejected": ("Không phê duyệt", "Rejected proposals"),
    "awd.group_revoked": ("Đã thu hồi", "Revoked awards"),
    "awd.group_withdrawn": ("Đề nghị đã rút", "Withdrawn proposals"),
    "awd.none_proposed": (
        "Không có đề nghị nào chờ phê duyệt trong đợt này.",
        "No proposals await a decision in this phase.",
    ),
    "awd.none_confirmed": (
        "Chưa có khen thưởng nào được phê duyệt trong đợt này.",
        "No awards confirmed in this phase yet.",
    ),
    "awd.recipient": ("Tập thể, cá nhân", "Recipient"),
    "awd.award": ("Hình thức khen thưởng", "Award"),
    "awd.reasons": ("Căn cứ", "Grounds"),
    "awd.decide": ("Quyết định", "Decision"),
    "awd.why": ("Lý do", "Reason"),
    "awd.confirm": ("Phê duyệt", "Confirm"),
    "awd.reject": ("Không phê duyệt", "Reject"),
    "awd.reject_reason": ("Lý do không phê duyệt", "Why reject"),
    "awd.revoke": ("Thu hồi", "Revoke"),
    "awd.revoke_reason": ("Lý do thu hồi", "Why revoke"),
    "awd.certificate": ("Tải giấy khen, bằng khen (DOCX)", "Download the certificate (DOCX)"),
    "awd.done_confirm": ("Đã phê duyệt {award} cho {who}.", "Confirmed {award} for {who}."),
    "awd.done_reject": (
        "Đã không phê duyệt {award} cho {who}.",
        "Rejected {award} for {who}.",
    ),
    "awd.done_revoke": ("Đã thu hồi {award} của {who}.", "Revoked {award} of {who}."),
    "awd.no_document": ("Chưa tải được tài liệu: {why}", "No document yet: {why}"),
}
