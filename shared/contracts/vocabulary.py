"""The words of Thi Đua's events, each said once: the codes as types (StrEnums, which compare
equal to the strings on the wire) and what they mean in Vietnamese and English (the words are
data, code_labels.toml beside this module, read when each enum is made). One list for
every service that stores, checks or shows them (the tables, the API, the portal, the
dashboard, the exports, the notifications). The event contracts name the same codes as
`Literal`s, so an integrator's JSON Schema lists them."""

from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal, Self, get_args

from shared import bilingual

Language = Literal["vi", "en"]
"""The languages a person reads Thi Đua in: Vietnamese first, English complete."""
LANGUAGES: tuple[Language, ...] = get_args(Language)


CODE_LABELS_FILE = Path(__file__).with_name("code_labels.toml")
_CODE_LABELS = bilingual.read_toml(CODE_LABELS_FILE)


class Labelled(StrEnum):
    """A code with what it means in Vietnamese and in English: the members are the codes
    (`technical = "technical"`), their words the class's table in code_labels.toml (data,
    beside the other words people read). A member without words there, or words for no
    member, fails when the class is made."""

    label_vi: str
    label_en: str

    def __new__(cls, code: str) -> Self:
        member = str.__new__(cls, code)
        member._value_ = code
        words = cls._words().get(code)
        if words is None:
            raise ValueError(f"{CODE_LABELS_FILE.name} [{cls.__name__}] has no words for {code!r}")
        member.label_vi, member.label_en = words
        return member

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        unlabelled = set(cls._words()) ^ {member.value for member in cls}
        if unlabelled:
            raise ValueError(
                f"{CODE_LABELS_FILE.name} [{cls.__name__}] and the members differ: {unlabelled}"
            )

    @classmethod
    def _words(cls) -> dict[str, tuple[str, str]]:
        where = f"{CODE_LABELS_FILE.name} [{cls.__name__}]"
        return bilingual.pairs(_CODE_LABELS.get(cls.__name__, {}), where)

    @classmethod
    def labels(cls) -> Mapping[str, tuple[str, str]]:
        """Each code's (Vietnamese, English) label."""
        return MappingProxyType({code: (code.label_vi, code.label_en) for code in cls})


class InitiativeField(Labelled):
    """Lĩnh vực của sáng kiến (InitiativeSubmitted.field)."""

    technical = "technical"
    management = "management"
    occupational_safety = "occupational_safety"
    environment = "environment"
    digital_transformation = "digital_transformation"
    other = "other"


class UnitLevel(Labelled):
    """Cấp của một đơn vị trong cây công đoàn (UnitRecorded.level), from the top down."""

    federation = "federation"
    affiliated = "affiliated"
    grassroots = "grassroots"
    sub = "sub"
    # The Union Charter's smallest unit: under a grassroots union or one of its sections.
    group = "group"


class RegistrationStatus(Labelled):
    """Where a unit's registration for the movements stands (submissions owns it)."""

    draft = "draft"
    submitted = "submitted"
    returned = "returned"
    approved = "approved"


REGISTRATION_CHANGEABLE = frozenset({RegistrationStatus.draft, RegistrationStatus.returned})
"""What a unit may still change and send: a draft, or one the level above returned; the others
wait for a decision or are approved. Submissions' registrations service refuses to change or
send any other, and the portal offers it only these."""


class AwardStatus(Labelled):
    """Where an award stands (scoring owns it). Only a confirmed one is an award."""

    # By rule at a phase's close, awaiting a federation admin.
    proposed = "proposed"
    confirmed = "confirmed"  # granted
    # A proposal an admin turned down, with the reason.
    rejected = "rejected"
    # A confirmed award an admin took back, with the reason.
    revoked = "revoked"
    # A proposal late data no longer supports (it may come back).
    withdrawn = "withdrawn"


# Awards an admin confirmed (and may since have revoked): announced to their recipients, and
# left as they are when a close is computed again. The others are proposals and the admins'
# verdicts on them, which only the admins see.
AWARDS_ANNOUNCED = frozenset({AwardStatus.confirmed, AwardStatus.revoked})


class PhaseStatus(Labelled):
    """Where a campaign's phase stands (submissions owns it: a federation admin opens it, then
    closes it; PhaseOpened and PhaseClosed announce each)."""

    planned = "planned"
    open = "open"
    closed = "closed"


class RecipientKind(Labelled):
    """Who an award goes to (AwardGranted.recipient_kind): a unit or one of its members."""

    unit = "unit"
    member = "member"


class DeliveryStatus(Labelled):
    """Where an email or webhook delivery stands (notifications owns it: its worker writes it,
    its delivery log filters by it, the portal's log shows it)."""

    pending = "pending"
    # Claimed by a worker, its outcome not yet recorded.
    in_flight = "in_flight"
    retrying = "retrying"
    sent = "sent"
    # Every attempt failed, or the receiver refused it for good.
    dead = "dead"
    # An email interrupted while sending: not sent again automatically.
    uncertain = "uncertain"


DELIVERY_DUE = frozenset({DeliveryStatus.pending, DeliveryStatus.retrying})
"""What a delivery worker claims (once its time has come)."""
REDELIVERABLE = frozenset({DeliveryStatus.dead, DeliveryStatus.uncertain, DeliveryStatus.retrying})
"""What an operator may send again now (notifications' redeliver, the portal's "Gửi lại"): one
the worker gave up on, or one waiting for its next attempt, which is then made at once."""

INITIATIVE_FIELDS = InitiativeField.labels()
UNIT_LEVELS = UnitLevel.labels()
REGISTRATION_STATUSES = RegistrationStatus.labels()
AWARD_STATUSES = AwardStatus.labels()
PHASE_STATUSES = PhaseStatus.labels()
RECIPIENT_KINDS = RecipientKind.labels()
DELIVERY_STATUSES = DeliveryStatus.labels()
