"""The dashboard page names what the vocabulary declares, not a list of its own: a colour for
each field of work, the languages a reader may ask for, a field's label as the portal's."""

from services.reporting.dashboard.page import FIELD_COLOURS, _language
from shared.contracts.vocabulary import LANGUAGES, InitiativeField


def test_each_field_of_work_has_its_own_colour() -> None:
    assert set(FIELD_COLOURS) == set(InitiativeField)
    assert len(set(FIELD_COLOURS.values())) == len(FIELD_COLOURS)


def test_a_reader_gets_the_language_asked_for_or_vietnamese() -> None:
    assert [_language(code) for code in LANGUAGES] == list(LANGUAGES)
    assert _language(None) == _language("fr") == "vi"
