"""The fixed text of the decision and the certificates (`decision.vi.yaml`), as frozen models:
a misspelt key is refused when the file is read, not found missing on a printed page."""

from datetime import date
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from shared.data_files import read_model

TEMPLATE_FILE = Path(__file__).with_name("decision.vi.yaml")


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class LegalBasis(_Model):
    """A "Căn cứ" line, cited by decisions dated within its validity (inclusive)."""

    text: str
    valid_from: date | None = Field(default=None, alias="from")
    until: date | None = None

    def in_force(self, on: date) -> bool:
        return (self.valid_from is None or self.valid_from <= on) and (
            self.until is None or on <= self.until
        )


class Articles(_Model):
    award: str
    group: str
    money: str
    execution: str


class Columns(_Model):
    number: str
    collective: str
    individual: str
    unit: str
    achievement: str


class Signer(_Model):
    on_behalf_of: str
    position: str | None = None
    name: str | None = None
    default_position: str
    signature_lines: int = Field(ge=1, le=10)


class Form(_Model):
    starts_with: str
    heading: str


class CertificateText(_Model):
    forms: tuple[Form, ...]
    default: str
    gives: str
    achievement: str
    decision: str
    reference: str
    unknown_place: str

    def heading(self, award_name: str) -> str:
        """The award's form ("BẰNG KHEN") from the start of its name in the campaign file."""
        folded = award_name.casefold()
        for form in self.forms:
            if folded.startswith(form.starts_with.casefold()):
                return form.heading
        return self.default


class DecisionTemplate(_Model):
    national_name: str
    motto: str
    kind_symbol: str
    issuer_symbol: str
    number_blank: str
    title: str
    subject: str
    review_words: tuple[str, ...]
    authority: str
    legal_bases: tuple[LegalBasis, ...]
    plan_basis: str
    plan_kinds: tuple[str, ...]
    proposal: str
    proposer: str
    proposer_abbreviation: str
    decides: str
    articles: Articles
    columns: Columns
    recipients_to: str
    recipients: tuple[str, ...]
    signer: Signer
    certificate: CertificateText


@cache
def load_template(path: Path = TEMPLATE_FILE) -> DecisionTemplate:
    return read_model(path, DecisionTemplate)
