"""Nộp sáng kiến and the list of initiatives."""

from shared.contracts.initiative_parts import INITIATIVE_PARTS

# The form's labels are the initiative's parts, declared once with the API and the spreadsheet.
WORDS: dict[str, tuple[str, str]] = {
    **{f"ini.{part.name}": part.label for part in INITIATIVE_PARTS},
    "ini.new.intro": (
        "Các trường có dấu * là bắt buộc. Sáng kiến được nộp vào đợt thi đua đang mở.",
        "Fields marked * are required. The initiative goes into the open phase.",
    ),
    "ini.field.choose": ("— Chọn lĩnh vực —", "— Choose a field —"),
    "ini.benefits": ("Hiệu quả, giá trị làm lợi", "Benefit"),
    "ini.measured_hint": (
        "Nếu đã đo được, viết như trên",
        "If measured already, written the same way",
    ),
    "ini.authors_hint": (
        "Mỗi dòng một người; tổng tỷ lệ đóng góp phải bằng 100%. Bỏ trống các dòng thừa.",
        "One person per row; the shares must sum to 100%. Leave spare rows empty.",
    ),
    "ini.author_row": ("Tác giả {number}", "Author {number}"),
    "ini.member_id": ("Mã đoàn viên", "Member id"),
    "ini.full_name": ("Họ và tên", "Full name"),
    "ini.share": ("Tỷ lệ đóng góp (%)", "Share (%)"),
    "ini.add_author": ("Thêm dòng tác giả", "Add an author row"),
    "ini.confidential_label": (
        "Sáng kiến cần bảo mật (chỉ tên, đơn vị và giá trị làm lợi được chia sẻ ra ngoài)",
        "Confidential (only the title, unit and benefit are shared outside)",
    ),
    "ini.submit": ("Nộp sáng kiến", "Submit the initiative"),
    "ini.created": ("Đã nộp sáng kiến “{title}”.", "Submitted the initiative “{title}”."),
    "ini.list.total": ("{total} sáng kiến", "{total} initiatives"),
    "ini.list.empty": ("Không có sáng kiến nào.", "No initiatives."),
    "ini.list.authors": ("Tác giả", "Authors"),
    "ini.list.first_applied": ("Áp dụng từ", "Applied from"),
    "ini.list.benefit": ("Giá trị làm lợi", "Benefit"),
    "ini.amend.title": ("Sửa sáng kiến", "Amend the initiative"),
    "ini.amend.intro": (
        "Sửa được khi Hội đồng chưa chấm. Sáng kiến bị trả lại, khi sửa, được nộp lại ở vòng sau.",
        "It can be amended until a council sits on it. A returned initiative, once amended, is "
        "resubmitted for its next round.",
    ),
    "ini.amend.submit": ("Lưu thay đổi", "Save the changes"),
    "ini.amend.cancel": ("Hủy", "Cancel"),
    "ini.amend": ("Sửa sáng kiến", "Amend"),
    "ini.amended": ("Đã lưu thay đổi của sáng kiến “{title}”.", "Saved the changes to “{title}”."),
    "ini.back_to_list": ("« Danh sách sáng kiến", "« Initiatives"),
    "ini.state": ("Tình trạng", "State"),
    "ini.live": (
        "Trang tự cập nhật khi tình trạng thay đổi.",
        "This page updates itself when the state changes.",
    ),
    "ini.state_changed": (
        "Tình trạng sáng kiến vừa thay đổi.",
        "The initiative's state has just changed.",
    ),
    "ini.reload": ("Tải lại trang", "Reload the page"),
    "ini.round": ("(vòng {round})", "(round {round})"),
    "ini.return_reason": ("Lý do trả lại", "Why it was returned"),
    "ini.decided_on": ("Ngày Hội đồng quyết định", "Decided on"),
    "ini.not_changeable": (
        "Hội đồng đang xem xét sáng kiến này nên không sửa hoặc rút được nữa.",
        "A council is reviewing it, so it can no longer be amended or withdrawn.",
    ),
    "ini.content": ("Nội dung sáng kiến", "Content"),
    "ini.content_withheld": (
        "Sáng kiến được bảo mật: chỉ tác giả, cán bộ đơn vị, quản trị viên và Hội đồng chấm "
        "sáng kiến này xem được nội dung.",
        "A confidential initiative: only its authors, its unit's officers, the administrators "
        "and its own council may read its content.",
    ),
    "ini.attachments": ("Tệp đính kèm", "Attachments"),
    "ini.no_attachments": ("Chưa có tệp đính kèm.", "No attachments yet."),
    "ini.attach_file": ("Tệp", "File"),
    "ini.attach_hint": (
        "PDF, DOCX, XLSX, PPTX, PNG hoặc JPEG, tối đa 10 MB",
        "PDF, DOCX, XLSX, PPTX, PNG or JPEG, 10 MB at most",
    ),
    "ini.attach_description": ("Mô tả tệp (không bắt buộc)", "What the file is (optional)"),
    "ini.attach": ("Tải tệp lên", "Upload the file"),
    "ini.attached": ("Đã đính kèm tệp {file}.", "Attached {file}."),
    "ini.withdraw": ("Rút sáng kiến", "Withdraw the initiative"),
    "ini.withdraw_intro": (
        "Rút sáng kiến là không thể hoàn tác: sáng kiến không được xét nữa.",
        "Withdrawing cannot be undone: the initiative will not be reviewed.",
    ),
    "ini.withdraw_confirm": (
        "Tôi xác nhận rút sáng kiến này",
        "I confirm that I withdraw this initiative",
    ),
    "ini.withdraw_confirm_needed": (
        "Đánh dấu ô xác nhận để rút sáng kiến",
        "Tick the box to confirm the withdrawal",
    ),
    "ini.withdrawn": ("Đã rút sáng kiến “{title}”.", "Withdrew the initiative “{title}”."),
    "nav.my_initiatives": ("Sáng kiến của tôi", "My initiatives"),
}
