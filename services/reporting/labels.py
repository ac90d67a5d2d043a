"""What the dashboard and the exports call things (the vocabulary is the contracts')."""

from shared.contracts.vocabulary import UNIT_LEVELS as LEVELS
from shared.contracts.vocabulary import Language
from shared.i18n import Translator

__all__ = ["LEVELS", "Language", "code_label", "field_label"]


def code_label(kind: str, code: str, language: Language = "vi") -> str:
    """A code's label as the pages give it (`t.code(kind, code)`; the code itself, for one the
    vocabulary does not know)."""
    return Translator({}, language).code(kind, code)


def field_label(code: str, language: Language = "vi") -> str:
    """A field of work's label (its code, for one the vocabulary does not know): the pages'
    own lookup, `t.code("field", code)`, so the API's label_vi/label_en, the exports and the
    dashboard's honour board say a field the same way."""
    return code_label("field", code, language)
