"""What the codes in the events mean, in Vietnamese and English: an initiative's `field`
(InitiativeSubmitted) and a unit's `level` (UnitRecorded). One list for every service that
shows them (the portal, the dashboard, the exports)."""

from collections.abc import Mapping
from types import MappingProxyType

INITIATIVE_FIELDS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "technical": ("Kỹ thuật", "Technical"),
        "management": ("Quản lý", "Management"),
        # As the Law on Occupational Safety and Health (Luật An toàn, vệ sinh lao động) names it.
        "occupational_safety": ("An toàn, vệ sinh lao động", "Occupational safety"),
        "environment": ("Môi trường", "Environment"),
        "digital_transformation": ("Chuyển đổi số", "Digital transformation"),
        "other": ("Khác", "Other"),
    }
)

UNIT_LEVELS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "federation": ("Công đoàn ngành", "Federation"),
        "affiliated": ("Công đoàn trực thuộc", "Affiliated union"),
        "grassroots": ("Công đoàn cơ sở", "Grassroots union"),
        "sub": ("Công đoàn bộ phận", "Union section"),
        # The Union Charter's smallest unit: under a grassroots union or one of its sections.
        "group": ("Tổ công đoàn", "Union group"),
    }
)
