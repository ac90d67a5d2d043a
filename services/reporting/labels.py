"""What the dashboard and the exports call things (the vocabulary is the contracts')."""

from shared.contracts.vocabulary import INITIATIVE_FIELDS as FIELDS
from shared.contracts.vocabulary import UNIT_LEVELS as LEVELS
from shared.contracts.vocabulary import Language
from shared.i18n import Translator

__all__ = ["FIELDS", "LEVELS", "Language", "field_label"]


def field_label(code: str, language: Language = "vi") -> str:
    """A field of work's label (its code, for one the vocabulary does not know): the pages'
    own lookup, `t.code("field", code)`, so the API's label_vi/label_en, the exports and the
    dashboard's honour board say a field the same way."""
    return Translator({}, language).code("field", code)
