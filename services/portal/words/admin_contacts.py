"""Liên hệ: contacts by unit, as an admin edits them."""

WORDS: dict[str, tuple[str, str]] = {
    "ctc.intro": (
        "Những người hệ thống gửi thông báo, theo đơn vị: email, vai trò cán bộ công đoàn, ngôn "
        "ngữ và bản tin hằng ngày.",
        "The people notifications writes to, by unit: email, officer role, language and daily "
        "digest.",
    ),
    "ctc.count": ("{count} người của {unit}", "{count} people of {unit}"),
    "ctc.none": ("Đơn vị chưa có liên hệ nào.", "The unit has no contacts yet."),
    "ctc.officer_badge": ("cán bộ công đoàn", "union officer"),
    "ctc.language": ("Ngôn ngữ thông báo", "Language of messages"),
    "ctc.is_officer": ("Cán bộ công đoàn của đơn vị", "Union officer of the unit"),
    "ctc.daily_digest": ("Nhận bản tin hằng ngày", "Daily digest"),
    "ctc.save": ("Lưu", "Save"),
    "ctc.saved": ("Đã lưu liên hệ của {name}.", "Saved the contact of {name}."),
}
