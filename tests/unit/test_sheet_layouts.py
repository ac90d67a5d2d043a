"""The import sheets' layouts: each header name an officer may write is in the form headers are
compared in, and names one column once."""

from collections import Counter

import pytest

from services.submissions.initiatives.spreadsheet.layout import LAYOUT as INITIATIVES
from services.submissions.spreadsheet_reading import SheetLayout, fold
from services.submissions.units.spreadsheet import LAYOUT as UNITS


@pytest.mark.parametrize("layout", [INITIATIVES, UNITS], ids=["initiatives", "units"])
def test_each_alias_is_folded_and_names_one_column_once(layout: SheetLayout) -> None:
    aliases = [alias for names in layout.header_aliases.values() for alias in names]
    # A header is compared after `fold`: an alias not in that form could never match.
    assert [alias for alias in aliases if fold(alias) != alias] == []
    # Said twice, an alias is dead weight; under two columns it would read as the last one.
    assert [alias for alias, count in Counter(aliases).items() if count > 1] == []
