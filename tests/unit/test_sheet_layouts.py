"""The import sheets' layouts: a header their contract names (as the template writes it, or as
the portal shows it beside an import's errors, in Vietnamese or English) is read back as its own
column, and each header name an officer may write is in the form headers are compared in and
names one column once."""

from collections import Counter
from collections.abc import Mapping

import pytest

from services.submissions.initiatives.spreadsheet.layout import LAYOUT as INITIATIVES
from services.submissions.spreadsheet_reading import SheetLayout, fold
from services.submissions.units.spreadsheet import LAYOUT as UNITS
from shared.contracts.sheets import INITIATIVE_COLUMNS, UNIT_COLUMNS


@pytest.mark.parametrize(
    ("layout", "columns"),
    [(INITIATIVES, INITIATIVE_COLUMNS), (UNITS, UNIT_COLUMNS)],
    ids=["initiatives", "units"],
)
def test_every_header_the_contract_names_is_read_as_its_column(
    layout: SheetLayout, columns: Mapping[str, tuple[str, str]]
) -> None:
    assert layout.columns is columns
    assert set(layout.other_names) <= set(columns)
    read_as = {
        header: layout.field_by_header.get(fold(header))
        for names in columns.values()
        for header in names
    }
    assert read_as == {header: field for field, names in columns.items() for header in names}


@pytest.mark.parametrize("layout", [INITIATIVES, UNITS], ids=["initiatives", "units"])
def test_each_other_name_is_folded_and_names_one_column_once(layout: SheetLayout) -> None:
    others = [name for names in layout.other_names.values() for name in names]
    # A header is compared after `fold`: a name not in that form could never match.
    assert [name for name in others if fold(name) != name] == []
    # Said twice (or a contract header said again), a name is dead weight; under two columns
    # it would read as the last one.
    headers = [fold(header) for names in layout.columns.values() for header in names]
    assert [name for name, count in Counter(others + headers).items() if count > 1] == []
