"""The parts of an initiative a person fills in, declared once: each part's name (as the API
and the table spell it, and the `initiative submitted` event where it carries the part),
whether it is required, how a form labels it and how the spreadsheet heads its column, in
Vietnamese and English. The table is words, so it is data: `initiative_parts.yaml`, read once
here.

The submissions API's schema describes its fields with these labels, the spreadsheet's layout
takes its columns, required columns and headers from here, and the portal's form and pages
take their labels from here; tests hold the table and the schema to the same names. Bounds
(lengths, amounts) are in `shared.contracts.bounds`; the field of work (lĩnh vực) codes and
names are `InitiativeField` in `shared.contracts.vocabulary`.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Annotated

from pydantic import StrictBool, StringConstraints, ValidationError, validate_call

from shared.data_files import DataFileError, read_yaml


@dataclass(frozen=True)
class InitiativePart:
    name: str
    required: bool
    label: tuple[str, str]  # (vi, en): a form's label, the API's description
    column: tuple[str, str]  # (vi, en): the spreadsheet's header, shorter where a column is narrow
    in_form: bool = True  # False: the portal's form leaves it to the API's default
    # Its content: what a confidential initiative withholds from who may not read it (with its
    # attachments), and what no event carries.
    content: bool = False

    @property
    def label_vi(self) -> str:
        return self.label[0]


PARTS_FILE = Path(__file__).with_name("initiative_parts.yaml")
# A name or a label as the file must write it: a string, not empty (YAML's `yes` or `1` is no
# label, nor a flag: the flags are true or false).
_Word = Annotated[str, StringConstraints(strict=True, min_length=1)]


# Checked as the file is read: a key it does not know, or a label that is not two strings, fails
# the import instead of a page.
@validate_call
def _part(
    name: _Word,
    label: tuple[_Word, _Word],
    column: tuple[_Word, _Word] | None = None,
    *,
    required: StrictBool = False,
    in_form: StrictBool = True,
    content: StrictBool = False,
) -> InitiativePart:
    """One row of the file: a column is headed as the part is labelled unless it says otherwise."""
    return InitiativePart(name, required, label, column or label, in_form, content)


def _load(path: Path = PARTS_FILE) -> tuple[InitiativePart, ...]:
    """The file's parts, in its order (the spreadsheet's columns and the form's)."""
    try:
        parts = tuple(_part(**row) for row in read_yaml(path))
    except ValidationError as error:
        raise DataFileError(f"{path}: {error}") from error
    names = [part.name for part in parts]
    if len(set(names)) != len(names):
        raise ValueError(f"{path.name} names a part twice: {names}")
    return parts


INITIATIVE_PARTS: tuple[InitiativePart, ...] = _load()

PARTS_BY_NAME: Mapping[str, InitiativePart] = MappingProxyType(
    {part.name: part for part in INITIATIVE_PARTS}
)
CONTENT_PARTS: frozenset[str] = frozenset(p.name for p in INITIATIVE_PARTS if p.content)
"""The parts that are its content (with its attachments, which are files, not parts): a
confidential initiative withholds them from who may not read it, and no event carries them."""


def describe(name: str, more: str = "") -> str:
    """The API's description of a field: its Vietnamese label, as the form shows it, and what
    more an integrator needs to know."""
    label = PARTS_BY_NAME[name].label_vi
    return f"{label}: {more}" if more else f"{label}."
