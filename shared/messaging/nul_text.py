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
    `(root)`), or None where it holds none (or is not JSON, or is nested past what can be
    read: its validation says so)."""
    if _ESCAPED_NUL not in value:
        return None
    try:
        document = json.loads(value)
    except (ValueError, RecursionError):
        return None
    return _find(document)


def _find(document: Any) -> str | None:
    """Depth first, in document order, without recursion (no depth can make it raise)."""
    stack: list[tuple[Any, tuple[str, ...]]] = [(document, ())]
    while stack:
        node, path = stack.pop()
        if isinstance(node, str):
            if "\x00" in node:
                return ".".join(path) or "(root)"
        elif isinstance(node, dict):
            for key in node:
                if "\x00" in key:
                    return ".".join((*path, key))
            stack.extend((child, (*path, key)) for key, child in reversed(node.items()))
        elif isinstance(node, list):
            stack.extend((child, (*path, str(i))) for i, child in reversed(list(enumerate(node))))
    return None
