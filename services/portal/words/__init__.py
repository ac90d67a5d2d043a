"""The portal's words: data, not code. One TOML file per area, `words/<area>.toml`, each line
`"key" = ["Vietnamese", "English"]`; read once, at import, into the one catalogue i18n.py reads,
by the loader the dashboard's words are read with too (shared.i18n.load_words, which checks
every value, a key defined twice, and a missing or unlisted file). The labels of an
initiative's parts are not in a file: they are declared once with the API and the spreadsheet
(shared.contracts.initiative_parts) and joined in here, as are the words the dashboard says
too (shared.i18n.COMMON_WORDS: the layout's, a unit's standing).

The files are package data, found beside this module like the templates are beside web.py.
"""

from pathlib import Path
from typing import Final

from shared.contracts.initiative_parts import INITIATIVE_PARTS
from shared.i18n import COMMON_WORDS, Words, load_words

FOLDER: Final = Path(__file__).parent

AREAS: Final = (
    "common",
    "home",
    "initiatives",
    "registrations",
    "reports",
    "imports",
    "complaints",
    "standing",
    "council",
    "assignment",
    "inbox",
    "sign_in",
    "admin",
    "campaigns",
    "admin_tree",
    "admin_awards",
    "admin_subscribers",
    "admin_contacts",
)


def load(folder: Path = FOLDER) -> Words:
    """Every area's words, with the words the dashboard says too and the labels of an
    initiative's parts, merged."""
    parts = {f"ini.{part.name}": part.label for part in INITIATIVE_PARTS}
    return load_words(folder, AREAS, [COMMON_WORDS, parts])


WORDS: Final = load()
