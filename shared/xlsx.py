"""Text for a spreadsheet cell (or a Word paragraph) that the file can always hold.

XLSX is XML 1.0, which has no place for most C0 control characters: openpyxl refuses a cell
holding one (IllegalCharacterError), so one unit name with a U+000B once made every export that
listed it answer 500, the whole federation's among them (issue 14). The API now refuses them on
the way in, but a value stored before that, or arriving by an event, must still export: it is
written without them rather than not at all. A DOCX (the commendation decision, a
certificate) is XML 1.0 as well, and python-docx refuses the same characters.
"""

from typing import TypeVar

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

T = TypeVar("T")


def xlsx_text(value: str) -> str:
    """`value` without the characters an XLSX cell cannot hold (the rest unchanged)."""
    cleaned: str = ILLEGAL_CHARACTERS_RE.sub("", value)
    return cleaned


def xlsx_value(value: T) -> T | str:
    """A cell's value as written: text made safe, anything else as it is."""
    return xlsx_text(value) if isinstance(value, str) else value


def docx_text(value: str) -> str:
    """`value` without the characters a Word paragraph cannot hold: the same as XLSX's."""
    return xlsx_text(value)
