"""The dashboard names what the vocabulary and the bounds declare, not lists of its own: a
colour for each field of work, the languages a reader may ask for, the league's page size, an
award's recipient kind, a field's label."""

from fastapi.testclient import TestClient

from services.reporting.dashboard.page import FIELD_COLOURS, TEMPLATES, _language
from services.reporting.dashboard.queries import LEAGUE_ROWS
from services.reporting.dashboard.words import WORDS
from services.reporting.labels import field_label
from services.reporting.queries import LAGGING_KEPT
from shared.contracts.bounds import PAGE_MAX
from shared.contracts.vocabulary import (
    LANGUAGES,
    InitiativeField,
    Language,
    RecipientKind,
    UnitLevel,
)
from shared.i18n import Translator

LEAGUE = "/api/v1/league/{campaign_code}/{phase_code}"


def test_each_field_of_work_has_its_own_colour() -> None:
    assert set(FIELD_COLOURS) == set(InitiativeField)
    assert len(set(FIELD_COLOURS.values())) == len(FIELD_COLOURS)


def test_a_reader_gets_the_language_asked_for_or_vietnamese() -> None:
    assert [_language(code) for code in LANGUAGES] == list(LANGUAGES)
    assert _language(None) == _language("fr") == "vi"


def test_the_league_pages_by_the_contracts_bound(reporting: TestClient) -> None:
    """Its page holds 20 units by default, at most PAGE_MAX (shared.contracts.bounds), as
    every listing does, not a bound of its own."""
    parameters = reporting.get("/openapi.json").json()["paths"][LEAGUE]["get"]["parameters"]
    limit = next(p for p in parameters if p["name"] == "limit")["schema"]
    assert (limit["default"], limit["minimum"], limit["maximum"]) == (20, 1, PAGE_MAX)
    assert limit["default"] == LEAGUE_ROWS  # as many as the page's league shows
    level = next(p for p in parameters if p["name"] == "level")["schema"]
    assert level["default"] == UnitLevel.affiliated == "affiliated"  # the affiliated unions'
    past = reporting.get(
        LEAGUE.format(campaign_code="2022", phase_code="dot-1"), params={"limit": PAGE_MAX + 1}
    )
    assert past.status_code == 422


def _honoured(lang: Language) -> str:
    """The honour board's awards, one to a unit and one to a member, as the page writes them."""
    awards = [
        {"recipient_kind": kind, "recipient_name": name, "unit_name": "PV GAS", "award_name": ""}
        for kind, name in ((RecipientKind.unit, "PV GAS"), (RecipientKind.member, "Lê Văn An"))
    ]
    return TEMPLATES.env.get_template("_dashboard_board.html").render(
        w=Translator(WORDS, lang),
        named=lambda item: "",
        fields=[],
        honour={"initiatives": [], "awards": awards},
        award_names={},
        phase_names={},
        lang=lang,
    )


def test_the_honour_board_calls_a_recipient_what_the_vocabulary_does() -> None:
    """Tập thể / Cá nhân, Collective / Individual: RecipientKind's labels, not the page's own."""
    vi, en = (" ".join(_honoured(lang).split()) for lang in LANGUAGES)
    unit, member = RecipientKind.unit, RecipientKind.member
    assert f"PV GAS</strong> ({unit.label_vi})" in vi
    assert "PV GAS</strong> (Tập thể)" in vi
    assert f"Lê Văn An</strong> ({member.label_vi}, PV GAS)" in vi
    assert f"PV GAS</strong> ({unit.label_en})" in en
    assert f"Lê Văn An</strong> ({member.label_en}, PV GAS)" in en


def test_a_field_is_labelled_alike_by_the_api_the_exports_and_the_page() -> None:
    """The API's label_vi/label_en and the exports (field_label) and the honour board
    (w.code) are one lookup: the vocabulary's label, or the code the vocabulary does not know."""
    for lang in LANGUAGES:
        page = Translator(WORDS, lang)
        for code in (*InitiativeField, "thu-nghiem"):
            assert field_label(code, lang) == page.code("field", code)
    assert field_label(InitiativeField.occupational_safety) == "An toàn, vệ sinh lao động"
    assert field_label(InitiativeField.occupational_safety, "en") == "Occupational safety"
    assert field_label("thu-nghiem", "en") == "thu-nghiem"


def test_a_target_lists_at_most_the_lagging_units_kept_for_it(reporting: TestClient) -> None:
    """The progress answer may be asked for as many lagging units as reporting keeps per
    target (LAGGING_KEPT), and no more: a larger limit would be accepted and not honoured."""
    path = "/api/v1/progress/{campaign_code}/{phase_code}"
    parameters = reporting.get("/openapi.json").json()["paths"][path]["get"]["parameters"]
    lagging = next(p for p in parameters if p["name"] == "lagging_limit")["schema"]
    assert lagging["maximum"] == LAGGING_KEPT == 200
