"""Đăng ký thi đua."""

WORDS: dict[str, tuple[str, str]] = {
    "reg.title": ("Đăng ký thi đua", "Register for movements"),
    "reg.intro": (
        "Chọn đợt thi đua đang mở, đánh dấu các phong trào đơn vị tham gia và ghi nội dung đăng "
        "ký cụ thể cho từng phong trào. Lưu nháp rồi gửi lên cấp trên để duyệt.",
        "Choose the open phase, tick the movements the unit takes up and write its commitments "
        "for each. Save a draft, then submit it to the level above for approval.",
    ),
    "reg.no_open_phase": (
        "Hiện không có đợt thi đua nào đang mở.",
        "No phase is open for registrations now.",
    ),
    "reg.movements": ("Phong trào thi đua", "Movements"),
    "reg.form": ("Lập, sửa bản đăng ký", "Draft or amend a registration"),
    "reg.commitment_label": ("Nội dung đăng ký cụ thể", "The unit's commitments"),
    "reg.commitment_hint": (
        "Đánh dấu phong trào đơn vị tham gia, rồi ghi cụ thể việc đơn vị cam kết thực hiện.",
        "Tick the movements the unit takes up, then write what it commits to for each.",
    ),
    "reg.save": ("Lưu nháp", "Save draft"),
    "reg.save_submit": ("Lưu và gửi", "Save and submit"),
    "reg.list": ("Bản đăng ký của các đơn vị", "Registrations of the units"),
    "reg.empty": ("Chưa có bản đăng ký nào.", "No registrations yet."),
    "reg.updated": ("Cập nhật", "Updated"),
    "reg.submit": ("Gửi", "Submit"),
    "reg.edit": ("Sửa", "Edit"),
    "reg.approve": ("Duyệt", "Approve"),
    "reg.return": ("Trả lại", "Return"),
    "reg.reason": ("Lý do trả lại", "Reason for returning"),
    "reg.returned_reason": ("Lý do: {reason}", "Reason: {reason}"),
    "reg.saved": ("Đã lưu nháp bản đăng ký của {unit}.", "Saved the draft registration of {unit}."),
    "reg.sent": ("Đã gửi bản đăng ký của {unit}.", "Submitted the registration of {unit}."),
    "reg.approved": ("Đã duyệt bản đăng ký của {unit}.", "Approved the registration of {unit}."),
    "reg.was_returned": (
        "Đã trả lại bản đăng ký của {unit}.",
        "Returned the registration of {unit}.",
    ),
    "reg.saved_not_sent": (
        "Đã lưu nháp nhưng chưa gửi được.",
        "The draft was saved but could not be submitted.",
    ),
    "reg.locked": (
        "Bản đăng ký của đơn vị cho đợt này đang ở trạng thái “{status}”.",
        "The unit's registration for this phase is “{status}”.",
    ),
}
