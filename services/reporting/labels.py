"""What the dashboard and the exports call things (the vocabulary is the contracts')."""

from shared.contracts.vocabulary import INITIATIVE_FIELDS as FIELDS
from shared.contracts.vocabulary import UNIT_LEVELS as LEVELS
from shared.contracts.vocabulary import Language

__all__ = ["FIELDS", "LEVELS", "Language", "field_label"]


def field_label(code: str, language: Language = "vi") -> str:
    vi, en = FIELDS.get(code, (code, code))
    return vi if language == "vi" else en
