"""The checks an initiative passes, the same at submission and at every amendment, and who
may read a confidential initiative's content. Pure: dates come in, nothing is read from the
wall or the database."""

from dataclasses import dataclass
from datetime import date

from shared.auth import Principal, Role
from shared.contracts.lifecycle import CHANGEABLE, LABELS, InitiativeStatus
from shared.formatting import format_date
from shared.refusals import Kind, Refusal


@dataclass(frozen=True)
class Window:
    starts_on: date
    ends_on: date

    def __contains__(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on

    def nearest(self, day: date) -> date:
        return min(max(day, self.starts_on), self.ends_on)


def default_received_on(today: date, phase: Window) -> date:
    """An entry given no date is received today, or (the phase still open past its last day,
    or opened ahead of its first) on the phase's day nearest today: it belongs to that phase."""
    return phase.nearest(today)


def check_dates(
    *,
    received_on: date,
    first_applied_on: date | None,
    today: date,
    campaign: Window,
    phase: Window,
) -> None:
    if received_on > today:
        raise _refused(
            "received_on",
            "date_in_future",
            f"Ngày nhận ({format_date(received_on)}) chưa đến (hôm nay {format_date(today)})",
            f"The date received ({received_on}) is after today ({today})",
        )
    if received_on not in phase:
        raise _refused(
            "received_on",
            "outside_phase",
            "Ngày nhận phải trong thời gian của đợt "
            f"({format_date(phase.starts_on)} – {format_date(phase.ends_on)})",
            f"The date received must fall within the phase ({phase.starts_on} – {phase.ends_on})",
        )
    if first_applied_on is None:
        return
    if first_applied_on > today:
        raise _refused(
            "first_applied_on",
            "date_in_future",
            "Ngày áp dụng lần đầu không được ở tương lai",
            "The date first applied cannot be in the future",
        )
    if first_applied_on not in campaign:
        raise _refused(
            "first_applied_on",
            "outside_campaign",
            "Ngày áp dụng lần đầu phải trong thời gian của kế hoạch "
            f"({format_date(campaign.starts_on)} – {format_date(campaign.ends_on)})",
            "The date first applied must fall within the campaign "
            f"({campaign.starts_on} – {campaign.ends_on})",
        )


def check_changeable(status: str) -> None:
    """Amend or withdraw only while no council sits on it (or after it was returned)."""
    state = InitiativeStatus(status)
    if state in CHANGEABLE:
        return
    vietnamese, english = LABELS[state]
    raise Refusal(
        Kind.conflict,
        "status",
        "not_changeable",
        f"Sáng kiến đang ở trạng thái “{vietnamese}”, không thể sửa hoặc rút",
        f"The initiative is “{english}” and can no longer be amended or withdrawn",
    )


def may_read_content(
    principal: Principal,
    *,
    confidential: bool,
    is_author: bool,
    officer_over_unit: bool,
    council: list[str],
) -> bool:
    """Who reads the problem, solution, novelty and attachments.

    Anyone who may see an initiative reads an ordinary one's content. A confidential
    initiative's content is read by its authors, the officers over its unit, federation
    admins and the members of its own council, and by no other reviewer. Its title, unit,
    field, benefit, status and authors are not secret: they are what it is recognised and
    rewarded for."""
    if not confidential or principal.is_federation_admin or is_author or officer_over_unit:
        return True
    return principal.has_role(Role.REVIEWER) and principal.subject in council


def _refused(field: str, code: str, vietnamese: str, english: str) -> Refusal:
    return Refusal(Kind.invalid, field, code, vietnamese, english)
