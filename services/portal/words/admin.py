"""Quản trị: the federation admin's hub and the row of links atop each admin page."""

WORDS: dict[str, tuple[str, str]] = {
    "nav.admin": ("Quản trị", "Administration"),
    "adm.title": ("Quản trị phong trào thi đua", "Administering the campaign"),
    "adm.intro": (
        "Các việc của quản trị viên Công đoàn Dầu khí Việt Nam.",
        "The work of the federation's administrators.",
    ),
    "adm.nav_label": ("Các trang quản trị", "Administration pages"),
    "adm.campaigns": ("Kế hoạch và đợt thi đua", "Campaigns and phases"),
    "adm.campaigns_about": (
        "Ban hành kế hoạch thi đua từ tệp; mở, đóng các đợt.",
        "Publish a campaign from its file; open and close its phases.",
    ),
    "adm.tree": ("Cây đơn vị", "Union tree"),
    "adm.tree_about": (
        "Các cấp công đoàn, từng đơn vị và cán bộ của đơn vị; nhập danh sách đơn vị từ tệp.",
        "The union's levels, each unit and its officers; import units from a spreadsheet.",
    ),
    "adm.awards": ("Khen thưởng", "Awards"),
    "adm.awards_about": (
        "Phê duyệt hoặc không phê duyệt đề nghị khen thưởng; thu hồi; tải quyết định, giấy khen.",
        "Confirm or reject award proposals; revoke awards; download the decision and certificates.",
    ),
    "adm.subscribers": ("Hệ thống nhận webhook", "Webhook subscribers"),
    "adm.subscribers_about": (
        "Đăng ký, đổi khóa bí mật, ngừng gửi; nhật ký gửi và gửi lại.",
        "Register, rotate the secret, deactivate; the delivery log and redelivery.",
    ),
    "adm.contacts": ("Liên hệ", "Contacts"),
    "adm.contacts_about": (
        "Email, vai trò cán bộ, ngôn ngữ và bản tin hằng ngày của từng người, theo đơn vị.",
        "Each person's email, officer role, language and daily digest, by unit.",
    ),
}
