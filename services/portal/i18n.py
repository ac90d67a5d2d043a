"""The portal's words, in Vietnamese (the default) and English, read through the one
`shared.i18n.Translator` (the dashboard's too).

The words live in words/<area>.toml (data, read once at import); the labels of the APIs'
codes are shared.i18n's, plus the 2022 file's report figures below. What the API says
(errors) already comes in both languages; what the campaign file says (theme, movement
names) is the plan's own wording, with its English where the file gives one.
"""

from typing import Final

from services.portal.words import WORDS
from shared.contracts.vocabulary import LANGUAGES as LANGUAGES
from shared.contracts.vocabulary import Language as Language
from shared.i18n import CODE_LABELS, DEFAULT_LANGUAGE, Words
from shared.i18n import Translator as _Translator
from shared.i18n import language_or_none as language_or_none

__all__ = ["DEFAULT_LANGUAGE", "LANGUAGES", "Language", "Translator", "language_or_none"]

_CODES: Final[dict[str, Words]] = {
    **CODE_LABELS,
    # The 2022 file's report figures, for a file without their English (`figure_label_en`):
    # another year's figures without it show the file's Vietnamese label.
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


class Translator(_Translator):
    """`t("key", name=...)`, `t.code("role", "member")`, `t.pick(vi, en)` over the portal's
    catalogue."""

    def __init__(self, lang: Language) -> None:
        super().__init__(WORDS, lang, _CODES)
