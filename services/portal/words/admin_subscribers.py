"""Hệ thống nhận webhook and the delivery log."""

WORDS: dict[str, tuple[str, str]] = {
    "sub.intro": (
        "Các hệ thống nhận sự kiện của Thi Đua qua webhook; mỗi lượt gửi được ký HMAC-SHA256 "
        "bằng khóa bí mật của hệ thống đó.",
        "The systems that receive Thi Đua's events by webhook; each delivery is signed "
        "(HMAC-SHA256) with that system's secret.",
    ),
    "sub.secret_title": ("Khóa bí mật của {name}", "The secret of {name}"),
    "sub.secret_once": (
        "Chỉ hiện một lần: hãy sao chép và lưu vào hệ thống nhận ngay bây giờ. Khóa cũ (nếu có) "
        "vẫn được chấp nhận để hệ thống nhận kịp chuyển sang khóa mới.",
        "Shown this once: copy it into the receiving system now. The previous secret (if "
        "any) stays valid so that the receiver can switch.",
    ),
    "sub.list": ("Các hệ thống đã đăng ký ({count})", "Registered systems ({count})"),
    "sub.none": ("Chưa có hệ thống nào đăng ký.", "No systems registered yet."),
    "sub.name": ("Tên hệ thống", "System name"),
    "sub.url": ("Địa chỉ nhận (URL)", "Receiving address (URL)"),
    "sub.url_hint": (
        "Địa chỉ công khai, https khi vận hành thật",
        "A public address; https in production",
    ),
    "sub.events": ("Loại sự kiện", "Event types"),
    "sub.events_hint": ("Không chọn: mọi sự kiện", "None chosen: every event"),
    "sub.all_events": ("Mọi sự kiện", "Every event"),
    "sub.active": ("Đang nhận", "Active"),
    "sub.inactive": ("Đã ngừng", "Deactivated"),
    "sub.rotate": ("Đổi khóa bí mật", "Rotate the secret"),
    "sub.deactivate": ("Ngừng gửi", "Deactivate"),
    "sub.add": ("Đăng ký hệ thống nhận", "Register a receiving system"),
    "sub.add_submit": ("Đăng ký", "Register"),
    "sub.deactivated": ("Đã ngừng gửi tới {name}.", "Stopped delivering to {name}."),
    "sub.redelivered": ("Đã xếp lịch gửi lại tới {to}.", "Redelivery to {to} scheduled."),
    "sub.refused": ("Không thực hiện được: {why}", "Not done: {why}"),
    "sub.log": ("Nhật ký gửi", "Delivery log"),
    "sub.every_status": ("Mọi trạng thái", "Every status"),
    "sub.no_deliveries": ("Không có lượt gửi nào.", "No deliveries."),
    "sub.event": ("Sự kiện", "Event"),
    "sub.destination": ("Nơi nhận", "Destination"),
    "sub.attempts": ("Số lần gửi", "Attempts"),
    "sub.last": ("Lần gần nhất", "Last attempt"),
    "sub.sent_on": ("Đã gửi ngày {day}", "Sent on {day}"),
    "sub.redeliver": ("Gửi lại", "Redeliver"),
    "sub.status_pending": ("Chờ gửi", "Pending"),
    "sub.status_in_flight": ("Đang gửi", "Sending"),
    "sub.status_retrying": ("Đang thử lại", "Retrying"),
    "sub.status_sent": ("Đã gửi", "Sent"),
    "sub.status_dead": ("Gửi thất bại", "Failed"),
    "sub.status_uncertain": ("Chưa rõ kết quả", "Uncertain"),
}
