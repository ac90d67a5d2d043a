"""What the campaign file's checks say: English and Vietnamese for every error.

`CHECK_MESSAGES` holds the checks the models make themselves (formatted with the error's
context); `MESSAGES_VI` is the Vietnamese the loader tells people what is wrong with their
file in: pydantic's error types as the API words them (shared.validation_messages), a few
said more fully for a file, and these checks.
"""

from collections.abc import Mapping

from shared.validation_messages import PYDANTIC_VI

# English and Vietnamese of every check the campaign file's models make, formatted with the
# error's context.
CHECK_MESSAGES: dict[str, tuple[str, str]] = {
    "duplicate_code": (
        "Code '{code}' is already used by {first}",
        "Mã '{code}' đã được dùng ở {first}",
    ),
    "duplicate_number": (
        "Target number {number} is already used by {first}",
        "Số thứ tự chỉ tiêu {number} đã được dùng ở {first}",
    ),
    "unknown_reference": (
        "Unknown {what} '{code}'; known: {known}",
        "Không có {what_vi} với mã '{code}'; các mã đã khai báo: {known}",
    ),
    "ends_before_start": (
        "Ends on {ends_on}, before it starts on {starts_on}",
        "Ngày kết thúc {ends_on} trước ngày bắt đầu {starts_on}",
    ),
    "due_before_end": (
        "The report is due on {due_on}, before the phase ends on {ends_on}",
        "Hạn báo cáo {due_on} trước ngày kết thúc đợt {ends_on}",
    ),
    "phase_out_of_order": (
        "Phases must be listed in date order: this one starts on {starts_on}, before "
        "{previous} (starts on {previous_starts_on})",
        "Các đợt phải được liệt kê theo thứ tự thời gian: đợt này bắt đầu ngày {starts_on}, "
        "trước đợt {previous} (bắt đầu ngày {previous_starts_on})",
    ),
    "phases_overlap": (
        "Starts on {starts_on}, while the previous phase {previous} runs until {previous_ends_on}",
        "Bắt đầu ngày {starts_on} trong khi đợt trước ({previous}) kéo dài đến {previous_ends_on}",
    ),
    "phase_outside_period": (
        "{day} is outside the campaign's period {period_starts_on} to {period_ends_on}",
        "Ngày {day} nằm ngoài thời gian của kế hoạch ({period_starts_on} đến {period_ends_on})",
    ),
    "weights_not_1": (
        "Criteria weights must sum to 1, got {total}",
        "Tổng trọng số các tiêu chí phải bằng 1, hiện là {total}",
    ),
    "points_not_100": (
        "Target points must sum to 100, got {total}",
        "Tổng điểm các chỉ tiêu phải bằng 100, hiện là {total}",
    ),
    "points_missing_target": (
        "Target {number} has no points",
        "Chỉ tiêu số {number} chưa được gán điểm",
    ),
    "scale_empty": (
        "The scale's max ({max}) must be greater than its min ({min})",
        "Điểm tối đa ({max}) phải lớn hơn điểm tối thiểu ({min})",
    ),
    "score_outside_scale": (
        "{score} is outside the scale {min} to {max}",
        "Điểm {score} nằm ngoài thang điểm {min} đến {max}",
    ),
    "figure_required": (
        "Evidence 'report_filed' needs 'figure' and 'figure_label': the report's figure it reads",
        "Minh chứng 'report_filed' cần 'figure' và 'figure_label': số liệu nào trong báo cáo",
    ),
    "only_for_reports": (
        "Only evidence 'report_filed' reads a report's figure",
        "Chỉ minh chứng 'report_filed' mới đọc số liệu trong báo cáo",
    ),
    "only_for_registrations": (
        "Only evidence 'registration_approved' can be limited to movements",
        "Chỉ minh chứng 'registration_approved' mới giới hạn theo phong trào",
    ),
    "granted_by_required": (
        "An award of level '{level}' needs 'granted_by': the body that grants it",
        "Hình thức khen thưởng cấp '{level}' cần 'granted_by': cơ quan ra quyết định",
    ),
    "granted_by_not_allowed": (
        "An award of level 'affiliated_union' is granted by each affiliated union: omit "
        "'granted_by'",
        "Hình thức khen thưởng cấp 'affiliated_union' do từng công đoàn trực thuộc ra quyết "
        "định: bỏ 'granted_by'",
    ),
    "recipient_not_allowed": (
        "Award '{award}' is not given to '{recipient}'; it is given to: {allowed}",
        "Hình thức '{award}' không dành cho '{recipient}'; chỉ dành cho: {allowed}",
    ),
    "population_mismatch": (
        "Recipient '{recipient}' needs population {expected}",
        "Đối tượng '{recipient}' cần phạm vi {expected}",
    ),
    "basis_mismatch": (
        "Recipient '{recipient}' is selected by basis '{expected}'",
        "Đối tượng '{recipient}' được xét theo căn cứ '{expected}'",
    ),
    "no_selection": (
        "A rule must select somehow: give 'min_score', 'top' or both",
        "Quy định phải có cách xét chọn: 'min_score', 'top' hoặc cả hai",
    ),
    "top_above_quota": (
        "'top' ({top}) is larger than 'quota' ({quota})",
        "'top' ({top}) lớn hơn 'quota' ({quota})",
    ),
}

# Where a YAML file is read by a person, a few of pydantic's errors say more than the API's
# do (shared.validation_messages): how to quote a number, what a code may hold, what a
# mapping is, that a field's name may be misspelt.
_IN_A_FILE_VI = {
    "extra_forbidden": "Trường không được phép (có thể viết sai tên trường)",
    "string_type": 'Phải là chuỗi ký tự (đặt trong dấu nháy nếu là số, ví dụ "2022")',
    "string_pattern_mismatch": (
        "Mã chỉ gồm chữ thường không dấu, chữ số và dấu gạch ngang (ví dụ 'dot-1')"
    ),
    "model_type": "Phải là một bảng khóa: giá trị (mapping)",
    "model_attributes_type": "Phải là một bảng khóa: giá trị (mapping)",
    "dict_type": "Phải là một bảng khóa: giá trị (mapping)",
}

# Vietnamese for pydantic's own error types, and for ours (above). The loader formats these
# with the error's context (shared.validation_messages.message_vi); English comes from
# pydantic's message.
MESSAGES_VI: Mapping[str, str] = (
    dict(PYDANTIC_VI)
    | _IN_A_FILE_VI
    | {code: vietnamese for code, (_, vietnamese) in CHECK_MESSAGES.items()}
)

# Labels of the things a reference can point at, for `unknown_reference`.
REFERENCE_LABELS_VI = {
    "organisation": "tổ chức",
    "movement": "phong trào",
    "phase": "đợt thi đua",
    "award type": "hình thức khen thưởng",
    "target": "chỉ tiêu",
}
