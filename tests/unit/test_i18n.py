"""The one catalogue of the portal's and the dashboard's words (shared.i18n): its loader, the
words both pages say, the codes' labels and the languages' names."""

from pathlib import Path

import pytest

from services.portal.words import WORDS as PORTAL_WORDS
from services.reporting.dashboard.words import WORDS as DASHBOARD_WORDS
from shared.campaign.enums import ReportKind
from shared.contracts.vocabulary import LANGUAGES
from shared.i18n import (
    CODE_LABELS,
    COMMON_WORDS,
    LANGUAGE_NAMES,
    Translator,
    language_or_none,
    load_words,
)

PORTAL_TEMPLATES = Path(__file__).resolve().parents[2] / "services" / "portal" / "templates"


def test_the_loader_merges_the_areas_and_refuses_what_a_dict_would_let_pass(
    tmp_path: Path,
) -> None:
    (tmp_path / "a.toml").write_text('"a.yes" = ["Có", "Yes"]\n')
    (tmp_path / "b.toml").write_text('"b.no" = ["Không", "No"]\n')
    given = {"c.given": ("Cho", "Given")}
    assert dict(load_words(tmp_path, ("a", "b"), [given])) == {
        "c.given": ("Cho", "Given"),
        "a.yes": ("Có", "Yes"),
        "b.no": ("Không", "No"),
    }
    with pytest.raises(ValueError, match=r"'a\.yes' is defined twice"):
        load_words(tmp_path, ("a", "b"), [{"a.yes": ("Có", "Yes")}])
    for bad in ('"b.no" = ["Không"]', '"b.no" = ["Không", ""]', "[b]\nno = 1"):
        (tmp_path / "b.toml").write_text(f"{bad}\n")
        with pytest.raises(ValueError, match=r"b\.toml: .* is not \[Vietnamese, English\]"):
            load_words(tmp_path, ("a", "b"))


def test_the_words_both_pages_say_are_said_once() -> None:
    """The portal and the dashboard share their layout's words and a unit's standing's
    (shared.i18n.COMMON_WORDS) rather than each writing them: the same word, in the same
    English, on the officer's standing and on the league table."""
    both = PORTAL_WORDS.keys() & DASHBOARD_WORDS.keys()
    assert both - {"none"} == set(COMMON_WORDS)  # "none": each page's own word for nothing
    for key, pair in COMMON_WORDS.items():
        assert PORTAL_WORDS[key] == DASHBOARD_WORDS[key] == pair
    shared_pairs = set(PORTAL_WORDS.values()) & set(DASHBOARD_WORDS.values())
    standing = {COMMON_WORDS[key] for key in ("points", "targets_met", "met", "missed")}
    assert standing <= shared_pairs
    assert Translator(PORTAL_WORDS, "en")("missed") == "Not met"


def test_every_report_kind_has_its_words() -> None:
    assert set(CODE_LABELS["report_kind"]) == set(ReportKind)


def test_a_language_asked_for_is_one_of_the_vocabularys_or_none() -> None:
    assert [language_or_none(code) for code in LANGUAGES] == list(LANGUAGES)
    assert language_or_none("fr") is None and language_or_none(None) is None


def test_each_language_is_named_once_in_itself_for_every_page() -> None:
    """The top bar's switch (the portal's and the dashboard's), a person's settings and an
    admin's contact form list LANGUAGE_NAMES rather than their own pairs."""
    assert tuple(LANGUAGE_NAMES) == LANGUAGES
    for template in ("_top.html", "settings.html", "admin_contacts.html"):
        text = (PORTAL_TEMPLATES / template).read_text()
        assert "language_names.items()" in text, template
        assert not {name for name in LANGUAGE_NAMES.values() if name in text}, template
