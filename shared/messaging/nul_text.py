"""Finding U+0000 in an event's JSON text, to refuse it naming where it stands.

PostgreSQL stores no U+0000 in text or JSON: an event holding one was refused by each
consumer's database, and dead-lettered with the driver's "invalid byte sequence", which names
no field. JSON can carry it only escaped (`\\u0000`), so a record without those bytes (all but
a hostile few) costs one search of its value; the few are read to name the place."""

import json
from typing import Any

_ESCAPED_NUL = b"u0000"


def nul_path(value: bytes) -> str | None:
    """Where the JSON `value` holds U+0000 in a string or a key (`authors.0.full_name`,
    `(root)`), or None where it holds none (or is not JSON: its validation says so)."""
    if _ESCAPED_NUL not in value:
        return None
    try:
        document = json.loads(value)
    except ValueError:
        return None
    return _find(document, ())


def _find(node: Any, path: tuple[str, ...]) -> str | None:
    if isinstance(node, str):
        return (".".join(path) or "(root)") if "\x00" in node else None
    if isinstance(node, dict):
        for key, child in node.items():
            if "\x00" in key:
                return ".".join((*path, key))
            found = _find(child, (*path, key))
            if found is not None:
                return found
    if isinstance(node, list):
        for index, child in enumerate(node):
            found = _find(child, (*path, str(index)))
            if found is not None:
                return found
    return None
