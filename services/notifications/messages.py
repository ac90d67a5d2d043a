"""What a notification says, in Vietnamese (the language of its readers)."""

from shared.contracts import InitiativeSubmitted
from shared.formatting import format_date, format_vnd


def initiative_received(initiative: InitiativeSubmitted) -> tuple[str, str]:
    subject = f"Đã tiếp nhận sáng kiến «{initiative.title}»"
    lines = [
        f"Sáng kiến «{initiative.title}» của đơn vị {initiative.unit_code} đã được tiếp nhận "
        f"ngày {format_date(initiative.submitted_at)} và đang chờ Hội đồng sáng kiến xem xét.",
        "Tác giả: "
        + ", ".join(f"{a.full_name} ({a.share_percent}%)" for a in initiative.authors)
        + ".",
    ]
    if initiative.expected_benefit_vnd:
        lines.append(f"Giá trị làm lợi dự kiến: {format_vnd(initiative.expected_benefit_vnd)}.")
    return subject, "\n".join(lines)
