"""The portal's words: data, not code. One TOML file per area, `words/<area>.toml`, each line
`"key" = ["Vietnamese", "English"]`; read once, at import, into the one catalogue i18n.py reads.

Loading checks what a Python dict could not: every value is two written strings, Vietnamese
first; a key belongs to one file only (a second definition fails, not as a silent overwrite);
every file in AREAS is there, and no other .toml file lies unread beside them. The labels of
an initiative's parts are not in a file: they are declared once with the API and the
spreadsheet (shared.contracts.initiative_parts) and joined in here.

The files are package data, found beside this module like the templates are beside web.py.
"""

import tomllib
from pathlib import Path
from typing import Final

from shared.contracts.initiative_parts import INITIATIVE_PARTS
from shared.i18n import Words, merge

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


def read_area(path: Path) -> dict[str, tuple[str, str]]:
    """One area's words, each checked to be [Vietnamese, English] with both written."""
    with path.open("rb") as file:
        table = tomllib.load(file)
    words: dict[str, tuple[str, str]] = {}
    for key, pair in table.items():
        match pair:
            case [str(vi), str(en)] if vi.strip() and en.strip():
                words[key] = (vi, en)
            case _:
                raise ValueError(f"{path.name}: {key!r} is not [Vietnamese, English], both written")
    return words


def load(folder: Path = FOLDER) -> Words:
    """Every area's words, merged; fails on a missing, stray or malformed file, or a key
    defined twice."""
    files = {path.stem for path in folder.glob("*.toml")}
    if files != set(AREAS):
        raise ValueError(
            f"words/*.toml and AREAS differ: missing {sorted(set(AREAS) - files)}, "
            f"not listed {sorted(files - set(AREAS))}"
        )
    parts = {f"ini.{part.name}": part.label for part in INITIATIVE_PARTS}
    return merge([parts, *(read_area(folder / f"{area}.toml") for area in AREAS)])


WORDS: Final = load()
