"""The words of Thi Đua's events, each said once: the codes as types (StrEnums, which compare
equal to the strings on the wire) and what they mean in Vietnamese and English. One list for
every service that stores, checks or shows them (the tables, the API, the portal, the
dashboard, the exports, the notifications). The event contracts name the same codes as
`Literal`s, so an integrator's JSON Schema lists them."""

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Literal, get_args

Language = Literal["vi", "en"]
"""The languages a person reads Thi Đua in: Vietnamese first, English complete."""
LANGUAGES: tuple[Language, ...] = get_args(Language)


class InitiativeField(StrEnum):
    """Lĩnh vực của sáng kiến (InitiativeSubmitted.field)."""

    technical = "technical"
    management = "management"
    occupational_safety = "occupational_safety"
    environment = "environment"
    digital_transformation = "digital_transformation"
    other = "other"


INITIATIVE_FIELDS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        InitiativeField.technical: ("Kỹ thuật", "Technical"),
        InitiativeField.management: ("Quản lý", "Management"),
        # As the Law on Occupational Safety and Health (Luật An toàn, vệ sinh lao động) names it.
        InitiativeField.occupational_safety: ("An toàn, vệ sinh lao động", "Occupational safety"),
        InitiativeField.environment: ("Môi trường", "Environment"),
        InitiativeField.digital_transformation: ("Chuyển đổi số", "Digital transformation"),
        InitiativeField.other: ("Khác", "Other"),
    }
)


class UnitLevel(StrEnum):
    """Cấp của một đơn vị trong cây công đoàn (UnitRecorded.level), from the top down."""

    federation = "federation"
    affiliated = "affiliated"
    grassroots = "grassroots"
    sub = "sub"
    group = "group"

    @property
    def label_vi(self) -> str:
        return UNIT_LEVELS[self][0]


UNIT_LEVELS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        UnitLevel.federation: ("Công đoàn ngành", "Federation"),
        UnitLevel.affiliated: ("Công đoàn trực thuộc", "Affiliated union"),
        UnitLevel.grassroots: ("Công đoàn cơ sở", "Grassroots union"),
        UnitLevel.sub: ("Công đoàn bộ phận", "Union section"),
        # The Union Charter's smallest unit: under a grassroots union or one of its sections.
        UnitLevel.group: ("Tổ công đoàn", "Union group"),
    }
)


class RegistrationStatus(StrEnum):
    """Where a unit's registration for the movements stands (submissions owns it)."""

    draft = "draft"
    submitted = "submitted"
    returned = "returned"
    approved = "approved"


class AwardStatus(StrEnum):
    """Where an award stands (scoring owns it). Only a confirmed one is an award."""

    proposed = "proposed"  # by rule at a phase's close, awaiting a federation admin
    confirmed = "confirmed"  # granted
    rejected = "rejected"  # a proposal an admin turned down, with the reason
    revoked = "revoked"  # a confirmed award an admin took back, with the reason
    withdrawn = "withdrawn"  # a proposal late data no longer supports (it may come back)
