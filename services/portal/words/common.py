"""Words of the layout and of every page: the menu, buttons, dates and amounts typed."""

WORDS: dict[str, tuple[str, str]] = {
    "app.name": ("Thi Đua", "Thi Đua"),
    "app.owner": ("Công đoàn Dầu khí Việt Nam", "Vietnam Petroleum Trade Union"),
    "app.portal": ("Cổng thông tin cán bộ công đoàn", "Union officers' portal"),
    "skip": ("Bỏ qua, đến nội dung chính", "Skip to main content"),
    "nav.label": ("Chức năng", "Sections"),
    "nav.home": ("Trang chủ", "Home"),
    "nav.registrations": ("Đăng ký thi đua", "Registrations"),
    "nav.initiative_new": ("Nộp sáng kiến", "Submit an initiative"),
    "nav.initiatives": ("Danh sách sáng kiến", "Initiatives"),
    "nav.imports": ("Nhập từ tệp", "Import a file"),
    "nav.reports": ("Báo cáo", "Reports"),
    "lang.label": ("Ngôn ngữ", "Language"),
    "user.signed_in_as": ("Đăng nhập: {name}", "Signed in: {name}"),
    "user.sign_out": ("Đăng xuất", "Sign out"),
    "errors.summary": ("Chưa lưu được, vui lòng kiểm tra:", "Not saved yet; please check:"),
    "required": ("bắt buộc", "required"),
    "error": ("Lỗi", "Error"),
    "none": ("—", "—"),
    "all": ("Tất cả", "All"),
    "filter": ("Lọc", "Filter"),
    "show": ("Xem", "Show"),
    "actions": ("Thao tác", "Actions"),
    "unit": ("Đơn vị", "Unit"),
    "phase": ("Đợt thi đua", "Phase"),
    "status": ("Trạng thái", "Status"),
    "date_hint": ("Nhập theo dạng dd/mm/yyyy, ví dụ 05/04/2022", "As dd/mm/yyyy, e.g. 05/04/2022"),
    "vnd_hint": (
        "Số tiền bằng đồng, ví dụ 1.200.000.000",
        "An amount in đồng (VND), e.g. 1.200.000.000",
    ),
    "page.of": ("Trang {page}/{pages}", "Page {page} of {pages}"),
    "page.previous": ("« Trang trước", "« Previous"),
    "page.next": ("Trang sau »", "Next »"),
    "page.label": ("Phân trang", "Pages"),
    "input.date_invalid": (
        "Ngày không hợp lệ: nhập theo dạng dd/mm/yyyy, ví dụ 05/04/2022",
        "Not a valid date: write it as dd/mm/yyyy, e.g. 05/04/2022",
    ),
    "input.vnd_invalid": (
        "Số tiền không hợp lệ: chỉ gồm chữ số, có thể phân cách hàng nghìn bằng dấu chấm, ví dụ "
        "1.200.000.000",
        "Not a valid amount: digits only, thousands may be separated by dots, e.g. 1.200.000.000",
    ),
    "input.number_invalid": (
        "Số liệu không hợp lệ: nhập một số, ví dụ 85 hoặc 85,5",
        "Not a valid number: write a number, e.g. 85 or 85.5",
    ),
    "input.share_invalid": (
        "Tỷ lệ đóng góp phải là số nguyên, ví dụ 70",
        "The share must be a whole number, e.g. 70",
    ),
    "nav.dashboard": ("Bảng theo dõi", "Dashboard"),
    "refused.title": ("Không thực hiện được", "Not allowed"),
    "refused.csrf": (
        "Biểu mẫu không được gửi từ trang của cổng thông tin hoặc đã quá hạn. Vui lòng mở lại "
        "trang và gửi lại.",
        "The form was not sent from the portal's own page, or it is out of date. Please open the "
        "page again and resend it.",
    ),
    "refused.role": (
        "Vai trò của bạn không sử dụng được trang này.",
        "Your role does not give access to this page.",
    ),
    "refused.back": ("Về trang chủ", "Back to the home page"),
    "unavailable.title": ("Hệ thống tạm thời không trả lời", "A service is not answering"),
    "unavailable.body": (
        "Dịch vụ {service} tạm thời không trả lời. Vui lòng thử lại sau ít phút.",
        "The {service} service is not answering. Please try again in a few minutes.",
    ),
    "nav.personal": ("Tài khoản", "Your account"),
    "nav.menu": ("Danh mục chức năng", "Menu"),
    "error.title": ("Lỗi {code}", "Error {code}"),
    "error.not_found": ("Không tìm thấy trang", "Page not found"),
    "error.not_found_body": (
        "Trang hoặc hồ sơ này không có, hoặc bạn không được xem.",
        "This page or record does not exist, or it is not yours to see.",
    ),
    "error.body": (
        "Yêu cầu không thực hiện được. Vui lòng thử lại.",
        "The request could not be carried out. Please try again.",
    ),
}
