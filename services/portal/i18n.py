"""The portal's words, in Vietnamese (the default) and English.

A plain dict: each key gives (Vietnamese, English), formatted with `str.format`. What the API
says (errors) already comes in both languages; what the campaign file says (theme, movement
names) is the plan's own Vietnamese wording and is shown as it is.
"""

from collections.abc import Mapping
from typing import Any, Final, Literal

from shared.contracts.lifecycle import LABELS as STATUS_LABELS
from shared.contracts.vocabulary import INITIATIVE_FIELDS, UNIT_LEVELS

Language = Literal["vi", "en"]
LANGUAGES: Final[tuple[Language, ...]] = ("vi", "en")
DEFAULT_LANGUAGE: Final[Language] = "vi"

_WORDS: Final[dict[str, tuple[str, str]]] = {
    # --- layout ---
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
    # --- sign-in ---
    "signin.title": ("Đăng nhập", "Sign in"),
    "signin.dev_only": (
        "Chỉ dùng khi phát triển: cổng tự cấp mã đăng nhập (token) cho người dùng mẫu, ký bằng "
        "khóa phát triển công khai. Khi triển khai thật, cán bộ đăng nhập qua hệ thống xác thực "
        "(OIDC) của Tập đoàn.",
        "Development only: the portal mints a sign-in token for a demo user, signed with the "
        "public development key. In a real deployment officers sign in with the group's identity "
        "provider (OIDC).",
    ),
    "signin.disabled": (
        "Đăng nhập bằng người dùng mẫu đã bị tắt vì hệ thống không dùng khóa phát triển.",
        "Signing in as a demo user is disabled: the system does not use the development key.",
    ),
    "signin.choose": ("Chọn người dùng mẫu", "Choose a demo user"),
    "signin.submit": ("Đăng nhập", "Sign in"),
    "signin.expired": (
        "Phiên đăng nhập đã hết hạn hoặc không hợp lệ, vui lòng đăng nhập lại.",
        "Your session has expired or is not valid; please sign in again.",
    ),
    "signin.unknown_user": ("Vui lòng chọn một người dùng mẫu", "Please choose a demo user"),
    "signin.signed_out": ("Đã đăng xuất.", "You have signed out."),
    # --- home ---
    "home.title": ("Trang chủ", "Home"),
    "home.you": ("Bạn", "You"),
    "home.your_unit": ("Đơn vị của bạn", "Your unit"),
    "home.role": ("Vai trò", "Role"),
    "home.campaign": ("Kế hoạch thi đua", "Emulation campaign"),
    "home.no_campaign": (
        "Chưa ban hành kế hoạch thi đua {code}.",
        "Campaign {code} has not been published yet.",
    ),
    "home.plan": ("Kế hoạch số {number} ngày {date}", "Plan No. {number} of {date}"),
    "home.theme": ("Chủ đề thi đua", "Theme (as worded in the plan)"),
    "home.slogan": ("Chủ đề năm", "The year's motto (as worded in the plan)"),
    "home.phases": ("Các đợt thi đua", "Phases"),
    "home.phase_name": ("Đợt", "Phase"),
    "home.starts_on": ("Từ ngày", "From"),
    "home.ends_on": ("Đến ngày", "To"),
    "home.report_due_on": ("Hạn báo cáo kết quả", "Results report due"),
    "home.targets": ("Chỉ tiêu phấn đấu", "Targets"),
    # --- registrations ---
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
    # --- initiatives ---
    "ini.new.title": ("Nộp sáng kiến", "Submit an initiative"),
    "ini.new.intro": (
        "Các trường có dấu * là bắt buộc. Sáng kiến được nộp vào đợt thi đua đang mở.",
        "Fields marked * are required. The initiative goes into the open phase.",
    ),
    "ini.title": ("Tên sáng kiến", "Title"),
    "ini.unit": ("Đơn vị", "Unit"),
    "ini.field": ("Lĩnh vực", "Field"),
    "ini.field.choose": ("— Chọn lĩnh vực —", "— Choose a field —"),
    "ini.problem": ("Thực trạng, vấn đề cần giải quyết", "The problem"),
    "ini.solution": ("Giải pháp thực hiện", "The solution"),
    "ini.novelty": ("Điểm mới so với trước đây", "What is new compared with before"),
    "ini.first_applied_on": ("Ngày áp dụng lần đầu", "First applied on"),
    "ini.benefits": ("Hiệu quả, giá trị làm lợi", "Benefit"),
    "ini.expected_benefit": ("Giá trị làm lợi dự kiến (đồng)", "Expected benefit (VND)"),
    "ini.measured_benefit": ("Giá trị làm lợi thực tế (đồng)", "Measured benefit (VND)"),
    "ini.measured_hint": (
        "Nếu đã đo được, viết như trên",
        "If measured already, written the same way",
    ),
    "ini.other_benefits": ("Lợi ích khác (không tính thành tiền)", "Other benefits (not in money)"),
    "ini.authors": ("Tác giả, đồng tác giả", "Authors"),
    "ini.authors_hint": (
        "Mỗi dòng một người; tổng tỷ lệ đóng góp phải bằng 100%. Bỏ trống các dòng thừa.",
        "One person per row; the shares must sum to 100%. Leave spare rows empty.",
    ),
    "ini.author_row": ("Tác giả {number}", "Author {number}"),
    "ini.member_id": ("Mã đoàn viên", "Member id"),
    "ini.full_name": ("Họ và tên", "Full name"),
    "ini.share": ("Tỷ lệ đóng góp (%)", "Share (%)"),
    "ini.add_author": ("Thêm dòng tác giả", "Add an author row"),
    "ini.confidential": ("Bảo mật", "Confidential"),
    "ini.confidential_label": (
        "Sáng kiến cần bảo mật (chỉ tên, đơn vị và giá trị làm lợi được chia sẻ ra ngoài)",
        "Confidential (only the title, unit and benefit are shared outside)",
    ),
    "ini.submit": ("Nộp sáng kiến", "Submit the initiative"),
    "ini.created": ("Đã nộp sáng kiến “{title}”.", "Submitted the initiative “{title}”."),
    "ini.list.title": ("Danh sách sáng kiến", "Initiatives"),
    "ini.list.total": ("{total} sáng kiến", "{total} initiatives"),
    "ini.list.empty": ("Không có sáng kiến nào.", "No initiatives."),
    "ini.list.authors": ("Tác giả", "Authors"),
    "ini.list.first_applied": ("Áp dụng từ", "Applied from"),
    "ini.list.benefit": ("Giá trị làm lợi", "Benefit"),
    "ini.list.submitted_at": ("Ngày nhận", "Received on"),
    "ini.list.confidential": ("Bảo mật", "Confidential"),
    # --- imports ---
    "imp.title": ("Nhập dữ liệu từ tệp", "Import from a spreadsheet"),
    "imp.intro": (
        "Tải lên tệp Excel (XLSX) hoặc CSV theo mẫu. Lỗi được báo theo từng dòng.",
        "Upload an Excel (XLSX) or CSV file laid out as the template. Errors are listed row by "
        "row.",
    ),
    "imp.units": ("Danh sách đơn vị", "Union units"),
    "imp.initiatives": ("Danh sách sáng kiến", "Initiatives"),
    "imp.template": ("Tải tệp mẫu (XLSX)", "Download the template (XLSX)"),
    "imp.file": ("Tệp dữ liệu", "File"),
    "imp.file_hint": ("Tệp .xlsx hoặc .csv, tối đa 5 MB", "An .xlsx or .csv file, 5 MB at most"),
    "imp.keep_valid": (
        "Vẫn lưu các dòng hợp lệ nếu có dòng bị lỗi",
        "Keep the good rows even if some rows are wrong",
    ),
    "imp.submit": ("Tải lên và nhập", "Upload and import"),
    "imp.result": ("Kết quả nhập tệp", "Import result"),
    "imp.units_done": (
        "Thêm mới {created}, cập nhật {updated}, không đổi {unchanged} đơn vị.",
        "{created} units created, {updated} updated, {unchanged} unchanged.",
    ),
    "imp.initiatives_done": ("Đã nhập {created} sáng kiến.", "{created} initiatives imported."),
    "imp.nothing_stored": (
        "Có dòng không hợp lệ; chưa lưu dòng nào.",
        "Some rows are invalid; nothing was stored.",
    ),
    "imp.row_errors": ("Các dòng bị lỗi", "Rows with errors"),
    "imp.row": ("Dòng", "Row"),
    "imp.column": ("Cột", "Column"),
    "imp.error": ("Lỗi", "Error"),
    # --- reports ---
    "rep.title": ("Báo cáo", "Reports"),
    "rep.intro": (
        "Gửi kế hoạch và kết quả thực hiện của đơn vị trong đợt thi đua, kèm các số liệu theo "
        "chỉ tiêu của kế hoạch.",
        "File the unit's plan and its results for the phase, with the figures the campaign's "
        "targets are measured by.",
    ),
    "rep.kind": ("Loại báo cáo", "Kind of report"),
    "rep.figures": ("Số liệu theo chỉ tiêu (%)", "Figures by target (%)"),
    "rep.figures_hint": (
        "Tỷ lệ phần trăm đạt được, từ 0 đến 100; bỏ trống nếu chưa có số liệu.",
        "The percentage achieved, 0 to 100; leave empty if not known yet.",
    ),
    "rep.target": ("Chỉ tiêu {number}", "Target {number}"),
    "rep.summary": ("Nội dung báo cáo", "Summary"),
    "rep.submit": ("Nộp báo cáo", "File the report"),
    "rep.filed_on": ("Ngày nộp", "Filed on"),
    "rep.filed_on_hint": (
        "Ngày đơn vị nộp báo cáo (dd/mm/yyyy), khi nhập lại báo cáo giấy; bỏ trống nếu nộp hôm "
        "nay.",
        "The day the unit filed it (dd/mm/yyyy), when keying in a paper report; leave empty "
        "for today.",
    ),
    "rep.filed": (
        "Đã nộp báo cáo {kind} của {unit}, {phase}.",
        "Filed the {kind} report of {unit}, {phase}.",
    ),
    "rep.late": ("Nộp muộn", "Filed late"),
    "rep.late_due": (
        "Nộp muộn: hạn nộp là ngày {due}.",
        "Filed late: it was due on {due}.",
    ),
    "rep.list": ("Báo cáo đã nộp", "Reports filed"),
    "rep.empty": ("Chưa có báo cáo nào.", "No reports yet."),
    "rep.submitted_at": ("Ngày nộp", "Filed on"),
    "rep.due_on": ("Hạn nộp", "Due on"),
    "rep.on_time": ("Đúng hạn", "On time"),
    # --- form input the portal converts before the API sees it ---
    "input.date_invalid": (
        "Ngày không hợp lệ: nhập theo dạng dd/mm/yyyy, ví dụ 05/04/2022",
        "Not a valid date: write it as dd/mm/yyyy, e.g. 05/04/2022",
    ),
    "input.vnd_invalid": (
        "Số tiền không hợp lệ: chỉ gồm chữ số, có thể phân cách hàng nghìn bằng dấu chấm, "
        "ví dụ 1.200.000.000",
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
}

# Labels of the API's codes.
_CODES: Final[dict[str, dict[str, tuple[str, str]]]] = {
    "role": {
        "member": ("Đoàn viên", "Member"),
        "unit_officer": ("Cán bộ công đoàn đơn vị", "Unit officer"),
        "reviewer": ("Thành viên Hội đồng sáng kiến", "Initiative council reviewer"),
        "federation_admin": (
            "Quản trị viên Công đoàn Dầu khí Việt Nam",
            "Federation administrator",
        ),
    },
    "registration_status": {
        "draft": ("Nháp", "Draft"),
        "submitted": ("Đã gửi", "Submitted"),
        "returned": ("Bị trả lại", "Returned"),
        "approved": ("Đã duyệt", "Approved"),
    },
    # The initiative's life, as every service names it (shared.contracts.lifecycle).
    "initiative_status": {status.value: label for status, label in STATUS_LABELS.items()},
    "phase_status": {
        "planned": ("Chưa mở", "Not open yet"),
        "open": ("Đang mở", "Open"),
        "closed": ("Đã đóng", "Closed"),
    },
    "field": dict(INITIATIVE_FIELDS),
    "report_kind": {
        "plan": ("Kế hoạch", "Plan"),
        "result": ("Kết quả", "Results"),
    },
    "unit_level": dict(UNIT_LEVELS),
    # The 2022 file's report figures; another year's figures show the file's Vietnamese label.
    "figure": {
        "activities-implemented": (
            "",
            "Carried out the activities organised by the federation and the confederation",
        ),
        "action-programme-22-concretised": (
            "",
            "Made action programme No. 22/Ctr-CĐDK concrete for the unit",
        ),
        "assigned-targets-met": ("", "Met the targets assigned for 2022"),
        "congress-resolution-met-and-congress-prepared": (
            "",
            "Met the 2017-2022 congress resolution and prepared the 2023-2028 congress",
        ),
    },
}


class Translator:
    """`t("key", name=...)` in the chosen language; `t.code("role", "member")` for API codes;
    `t.pick(vi, en)` for text the API already gives in both languages."""

    def __init__(self, lang: Language) -> None:
        self.lang: Language = lang

    def __call__(self, key: str, **values: Any) -> str:
        vi, en = _WORDS[key]  # a missing key fails loudly in tests, not as a blank on the page
        text = en if self.lang == "en" else vi
        return text.format(**values) if values else text

    def pick(self, vi: str, en: str) -> str:
        return en if self.lang == "en" and en else vi

    def code(self, kind: str, value: str | None, fallback: str | None = None) -> str:
        """The label of an API code; the code itself (or `fallback`) when it has none."""
        if value is None:
            return self("none")
        vi, en = _CODES[kind].get(value, ("", ""))
        label = self.pick(vi, en)
        return label or fallback or value

    def codes(self, kind: str) -> Mapping[str, str]:
        """Every known code of a kind with its label, in the order above."""
        return {value: self.code(kind, value) for value in _CODES[kind]}


def language_or_none(value: object) -> Language | None:
    if value == "vi":
        return "vi"
    if value == "en":
        return "en"
    return None
