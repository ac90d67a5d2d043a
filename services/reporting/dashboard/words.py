"""The dashboard page's words, in Vietnamese (the default) and English, read through the one
`shared.i18n.Translator` (which also writes its numbers as each language does).

They are data, not code: words.toml beside this module, each line
`"key" = ["Vietnamese", "English"]`, read once, at import, by the loader the portal's words are
read with (shared.i18n.load_words). The file is package data, as the templates are.

What the campaign file says (target, phase, review and award names) is shown in English where
the file gives an English name (`name_en`), and the progress computation's summaries and reasons
are said in English (shared.campaign.progress); what has no English is the plan's own
Vietnamese, shown as it is and marked lang="vi".
"""

from pathlib import Path
from typing import Final

from shared.i18n import COMMON_WORDS, Words, load_words

FOLDER: Final = Path(__file__).parent

AREAS: Final = ("words",)
"""The one file, words.toml; no other .toml file lies beside it unread."""


def load(folder: Path = FOLDER) -> Words:
    """The dashboard's words, with those the portal says too (shared.i18n.COMMON_WORDS: the
    layout's, a unit's standing); fails on a missing, stray or malformed file, or a word of
    the file defined there too."""
    return load_words(folder, AREAS, [COMMON_WORDS])


WORDS: Final = load()
