"""What the dashboard and the exports call things, in Vietnamese and English."""

from typing import Literal

Language = Literal["vi", "en"]

FIELDS: dict[str, tuple[str, str]] = {
    "technical": ("Kỹ thuật", "Technical"),
    "management": ("Quản lý", "Management"),
    "occupational_safety": ("An toàn vệ sinh lao động", "Occupational safety"),
    "environment": ("Môi trường", "Environment"),
    "digital_transformation": ("Chuyển đổi số", "Digital transformation"),
    "other": ("Khác", "Other"),
}

LEVELS: dict[str, tuple[str, str]] = {
    "federation": ("Công đoàn Dầu khí Việt Nam", "Federation"),
    "affiliated": ("Công đoàn trực thuộc", "Affiliated union"),
    "grassroots": ("Công đoàn cơ sở", "Grassroots union"),
    "sub": ("Công đoàn bộ phận", "Union section"),
}


def field_label(code: str, language: Language = "vi") -> str:
    vi, en = FIELDS.get(code, (code, code))
    return vi if language == "vi" else en
