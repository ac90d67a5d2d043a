"""Thành tích đơn vị: the officer's unit's standing and lagging targets."""

WORDS: dict[str, tuple[str, str]] = {
    "nav.standing": ("Thành tích đơn vị", "My unit's standing"),
    "std.title": ("Thành tích thi đua của đơn vị", "Your unit's standing"),
    "std.none": (
        "Chưa có số liệu xếp hạng của đơn vị cho đợt này.",
        "No standing for your unit in this phase yet.",
    ),
    "std.rank_title": ("Xếp hạng", "Rank"),
    "std.rank": ("Thứ hạng trong cấp", "Rank within its level"),
    "std.rank_of": ("{rank}/{total}", "{rank} of {total}"),
    "std.final": ("(kết quả khi sơ kết đợt)", "(as published at the phase's close)"),
    "std.live": ("(tạm tính đến nay)", "(so far, the phase is open)"),
    "std.points": ("Điểm thi đua", "Emulation points"),
    "std.targets_met": ("Chỉ tiêu đạt", "Targets met"),
    "std.submitted": ("Sáng kiến đã nộp", "Initiatives submitted"),
    "std.recognised": ("Sáng kiến được công nhận", "Initiatives recognised"),
    "std.targets": ("Các chỉ tiêu", "Targets"),
    "std.target": ("Chỉ tiêu", "Target"),
    "std.why": ("Lý do chưa đạt", "Why it is not met"),
    "std.met": ("Đạt", "Met"),
    "std.lagging": ("Chưa đạt", "Lagging"),
}
