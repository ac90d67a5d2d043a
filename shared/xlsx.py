"""Text for a spreadsheet cell (or a Word paragraph) that the file can always hold.

XLSX is XML 1.0, which has no place for most C0 control characters: openpyxl refuses a cell
holding one (IllegalCharacterError), so one unit name with a U+000B once made every export that
listed it answer 500, the whole federation's among them (issue 14). The API now refuses them on
the way in, but a value stored before that, or arriving by an event, must still export: it is
written without them rather than not at all. A DOCX (the commendation decision, a
certificate) is XML 1.0 as well, and python-docx refuses the same characters.
"""

import re
from typing import TypeVar

T = TypeVar("T")

# What XML 1.0 has no place for (its `Char` production): the C0 controls but tab, newline and
# carriage return, the lone surrogates, and the noncharacters U+FFFE and U+FFFF. openpyxl's own
# ILLEGAL_CHARACTERS_RE lists only the controls, and lxml refuses the other two as well: a unit
# named with U+FFFF made every export and decision listing it answer 500.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xlsx_text(value: str) -> str:
    """`value` without the characters an XLSX cell cannot hold (the rest unchanged)."""
    return _NOT_XML.sub("", value)


def xlsx_value(value: T) -> T | str:
    """A cell's value as written: text made safe, anything else as it is."""
    return xlsx_text(value) if isinstance(value, str) else value


def docx_text(value: str) -> str:
    """`value` without the characters a Word paragraph cannot hold: the same as XLSX's."""
    return xlsx_text(value)
