"""The portal's words, in Vietnamese (the default) and English.

One catalogue: each key gives (Vietnamese, English), formatted with `str.format`; the words
live in words/<area>.py, the labels of the APIs' codes here. What the API
says (errors) already comes in both languages; what the campaign file says (theme, movement
names) is the plan's own Vietnamese wording and is shown as it is.
"""

from collections.abc import Mapping
from typing import Any, Final, Literal

from services.portal.words import WORDS
from shared.contracts.lifecycle import LABELS as STATUS_LABELS
from shared.contracts.vocabulary import INITIATIVE_FIELDS, UNIT_LEVELS

Language = Literal["vi", "en"]
LANGUAGES: Final[tuple[Language, ...]] = ("vi", "en")
DEFAULT_LANGUAGE: Final[Language] = "vi"

_WORDS = WORDS

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
