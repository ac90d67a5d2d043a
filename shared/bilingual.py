"""Words in Vietnamese and English as Thi Đua's data files write them: TOML, each line
`key = ["Vietnamese", "English"]`. One check for every such file (the pages' words in
shared.i18n, the codes' labels in shared.contracts.vocabulary), which a Python dict could not
make: every value is two written strings, Vietnamese first."""

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any


def pairs(table: Mapping[str, Any], where: str) -> dict[str, tuple[str, str]]:
    """The table's words, each checked to be [Vietnamese, English] with both written."""
    words: dict[str, tuple[str, str]] = {}
    for key, pair in table.items():
        match pair:
            case [str(vi), str(en)] if vi.strip() and en.strip():
                words[key] = (vi, en)
            case _:
                raise ValueError(f"{where}: {key!r} is not [Vietnamese, English], both written")
    return words


def read_toml(path: Path) -> dict[str, Any]:
    with path.open("rb") as file:
        return tomllib.load(file)
