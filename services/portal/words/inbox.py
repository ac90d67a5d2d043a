"""Hộp thư and the notification settings."""

WORDS: dict[str, tuple[str, str]] = {
    "nav.inbox": ("Hộp thư", "Inbox"),
    "nav.settings": ("Cài đặt", "Settings"),
    "inbox.intro": (
        "Thông báo của hệ thống gửi cho bạn: sáng kiến được tiếp nhận, kết quả chấm, khen thưởng.",
        "What the system told you: initiatives received, councils' decisions, awards.",
    ),
    "inbox.count": ("{total} thông báo, {unread} chưa đọc", "{total} messages, {unread} unread"),
    "inbox.unread_suffix": ("thông báo chưa đọc", "unread"),
    "inbox.unread": ("Chưa đọc", "Unread"),
    "inbox.empty": ("Chưa có thông báo nào.", "No messages yet."),
    "inbox.failed": (
        "Chưa đọc được hộp thư lúc này, vui lòng thử lại sau.",
        "The inbox could not be read just now; please try again later.",
    ),
    "inbox.mark_read": ("Đánh dấu đã đọc", "Mark as read"),
    "inbox.mark_all": ("Đánh dấu tất cả đã đọc", "Mark all as read"),
    "inbox.all_read": ("Đã đánh dấu {count} thông báo là đã đọc.", "Marked {count} messages read."),
    "settings.title": ("Cài đặt thông báo", "Notification settings"),
    "settings.intro": (
        "Chọn địa chỉ email nhận thông báo, ngôn ngữ của thông báo và cách nhận.",
        "Choose the address your emails go to, their language and how often they come.",
    ),
    "settings.email": ("Email nhận thông báo", "Email address"),
    "settings.email_hint": (
        "Bỏ trống nếu chỉ muốn xem trong hộp thư của cổng.",
        "Leave it empty to read your messages in the portal's inbox only.",
    ),
    "settings.language": ("Ngôn ngữ của thông báo", "Language of your messages"),
    "settings.delivery": ("Cách nhận email", "How emails come"),
    "settings.digest": (
        "Gộp thành một email tổng hợp mỗi ngày thay vì từng email",
        "One daily digest instead of an email for each message",
    ),
    "settings.save": ("Lưu cài đặt", "Save the settings"),
    "settings.saved": ("Đã lưu cài đặt thông báo.", "Saved your notification settings."),
}
