"""The words of Thi Đua's events, each said once: the codes as types (StrEnums, which compare
equal to the strings on the wire) and what they mean in Vietnamese and English. One list for
every service that stores, checks or shows them (the tables, the API, the portal, the
dashboard, the exports, the notifications). The event contracts name the same codes as
`Literal`s, so an integrator's JSON Schema lists them."""

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Literal, Self, get_args

Language = Literal["vi", "en"]
"""The languages a person reads Thi Đua in: Vietnamese first, English complete."""
LANGUAGES: tuple[Language, ...] = get_args(Language)


class Labelled(StrEnum):
    """A code with what it means in Vietnamese and in English, said together:
    `technical = "technical", "Kỹ thuật", "Technical"`."""

    label_vi: str
    label_en: str

    # `*labels`: a lookup by the code alone, `UnitLevel("sub")`, calls the class with the code.
    def __new__(cls, code: str, *labels: str) -> Self:
        member = str.__new__(cls, code)
        member._value_ = code
        member.label_vi, member.label_en = labels
        return member

    @classmethod
    def labels(cls) -> Mapping[str, tuple[str, str]]:
        """Each code's (Vietnamese, English) label."""
        return MappingProxyType({code: (code.label_vi, code.label_en) for code in cls})


class InitiativeField(Labelled):
    """Lĩnh vực của sáng kiến (InitiativeSubmitted.field)."""

    technical = "technical", "Kỹ thuật", "Technical"
    management = "management", "Quản lý", "Management"
    # As the Law on Occupational Safety and Health (Luật An toàn, vệ sinh lao động) names it.
    occupational_safety = "occupational_safety", "An toàn, vệ sinh lao động", "Occupational safety"
    environment = "environment", "Môi trường", "Environment"
    digital_transformation = "digital_transformation", "Chuyển đổi số", "Digital transformation"
    other = "other", "Khác", "Other"


INITIATIVE_FIELDS = InitiativeField.labels()


class UnitLevel(Labelled):
    """Cấp của một đơn vị trong cây công đoàn (UnitRecorded.level), from the top down."""

    federation = "federation", "Công đoàn ngành", "Federation"
    affiliated = "affiliated", "Công đoàn trực thuộc", "Affiliated union"
    grassroots = "grassroots", "Công đoàn cơ sở", "Grassroots union"
    sub = "sub", "Công đoàn bộ phận", "Union section"
    # The Union Charter's smallest unit: under a grassroots union or one of its sections.
    group = "group", "Tổ công đoàn", "Union group"


UNIT_LEVELS = UnitLevel.labels()


class RegistrationStatus(Labelled):
    """Where a unit's registration for the movements stands (submissions owns it)."""

    draft = "draft", "Nháp", "Draft"
    submitted = "submitted", "Đã gửi", "Submitted"
    returned = "returned", "Bị trả lại", "Returned"
    approved = "approved", "Đã duyệt", "Approved"


REGISTRATION_CHANGEABLE = frozenset({RegistrationStatus.draft, RegistrationStatus.returned})
"""What a unit may still change and send: a draft, or one the level above returned; the others
wait for a decision or are approved. Submissions' registrations service refuses to change or
send any other, and the portal offers it only these."""


class AwardStatus(Labelled):
    """Where an award stands (scoring owns it). Only a confirmed one is an award."""

    # By rule at a phase's close, awaiting a federation admin.
    proposed = "proposed", "Đề xuất, chờ phê duyệt", "Proposed, awaiting a decision"
    confirmed = "confirmed", "Đã phê duyệt", "Confirmed"  # granted
    # A proposal an admin turned down, with the reason.
    rejected = "rejected", "Không phê duyệt", "Rejected"
    # A confirmed award an admin took back, with the reason.
    revoked = "revoked", "Đã thu hồi", "Revoked"
    # A proposal late data no longer supports (it may come back).
    withdrawn = "withdrawn", "Đã rút đề xuất", "Proposal withdrawn"


# Awards an admin confirmed (and may since have revoked): announced to their recipients, and
# left as they are when a close is computed again. The others are proposals and the admins'
# verdicts on them, which only the admins see.
AWARDS_ANNOUNCED = frozenset({AwardStatus.confirmed, AwardStatus.revoked})


class PhaseStatus(Labelled):
    """Where a campaign's phase stands (submissions owns it: a federation admin opens it, then
    closes it; PhaseOpened and PhaseClosed announce each)."""

    planned = "planned", "Chưa mở", "Not open yet"
    open = "open", "Đang mở", "Open"
    closed = "closed", "Đã đóng", "Closed"


class RecipientKind(Labelled):
    """Who an award goes to (AwardGranted.recipient_kind): a unit or one of its members."""

    unit = "unit", "Tập thể", "Collective"
    member = "member", "Cá nhân", "Individual"


class DeliveryStatus(Labelled):
    """Where an email or webhook delivery stands (notifications owns it: its worker writes it,
    its delivery log filters by it, the portal's log shows it)."""

    pending = "pending", "Chờ gửi", "Pending"
    # Claimed by a worker, its outcome not yet recorded.
    in_flight = "in_flight", "Đang gửi", "Sending"
    retrying = "retrying", "Đang thử lại", "Retrying"
    sent = "sent", "Đã gửi", "Sent"
    # Every attempt failed, or the receiver refused it for good.
    dead = "dead", "Gửi thất bại", "Failed"
    # An email interrupted while sending: not sent again automatically.
    uncertain = "uncertain", "Chưa rõ kết quả", "Uncertain"


DELIVERY_DUE = frozenset({DeliveryStatus.pending, DeliveryStatus.retrying})
"""What a delivery worker claims (once its time has come)."""
REDELIVERABLE = frozenset({DeliveryStatus.dead, DeliveryStatus.uncertain, DeliveryStatus.retrying})
"""What an operator may send again now (notifications' redeliver, the portal's "Gửi lại"): one
the worker gave up on, or one waiting for its next attempt, which is then made at once."""

REGISTRATION_STATUSES = RegistrationStatus.labels()
AWARD_STATUSES = AwardStatus.labels()
PHASE_STATUSES = PhaseStatus.labels()
RECIPIENT_KINDS = RecipientKind.labels()
DELIVERY_STATUSES = DeliveryStatus.labels()
