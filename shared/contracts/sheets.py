"""The columns of the spreadsheets an officer imports, as the templates head them, in
Vietnamese and English: submissions writes and reads the files by them, and the portal names
them beside an import's errors (it shares these words, not submissions' code)."""

from collections.abc import Mapping
from types import MappingProxyType

from shared.contracts.initiative_parts import INITIATIVE_PARTS

INITIATIVE_COLUMNS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {part.name: part.column for part in INITIATIVE_PARTS}
)

UNIT_COLUMNS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "code": ("Mã đơn vị", "Unit code"),
        "name": ("Tên đơn vị", "Unit name"),
        "parent_code": ("Mã đơn vị cấp trên", "Parent unit code"),
        "level": ("Cấp", "Level"),
        "cluster": ("Cụm thi đua", "Emulation cluster"),
    }
)
