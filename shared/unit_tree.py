"""Where a unit sits in the union tree, said once for every service that keeps a copy of it.

A unit's path (UnitRecorded.path) is the codes from the federation down to the unit itself,
each followed by '/': 'CDDKVN/PVGAS/PVGAS-KCM/'. So a unit's subtree (the unit and every unit
below it) is every path that starts with its own: `within` in Python, `within_where` in SQL.
"""

from sqlalchemy import ColumnElement
from sqlalchemy.orm import Mapped


def child_path(parent_path: str, code: str) -> str:
    """The path of unit `code` under the unit at `parent_path` ('' for the federation)."""
    return f"{parent_path}{code}/"


def path_codes(path: str) -> list[str]:
    """The codes on a unit's path, from the federation down to itself."""
    return [code for code in path.split("/") if code]


def affiliated_code(path: str, own_code: str) -> str:
    """The affiliated union a unit belongs to (the second code on its path): itself, for one
    (or for the federation, or a unit whose path is not known)."""
    codes = path_codes(path)
    return codes[1] if len(codes) > 1 else own_code


def within(path: str, root_path: str) -> bool:
    """Is the unit at `path` the unit at `root_path` or below it ('' : the whole tree)?"""
    return path.startswith(root_path)


def within_where(path: "Mapped[str] | ColumnElement[str]", root_path: str) -> ColumnElement[bool]:
    """`within` as a condition on a path column (a code's '_' or '%' is a letter, not a
    wildcard)."""
    return path.startswith(root_path, autoescape=True)
