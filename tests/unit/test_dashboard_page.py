"""The dashboard names what the vocabulary and the bounds declare, not lists of its own: a
colour for each field of work, the languages a reader may ask for, the league's page size."""

from fastapi.testclient import TestClient

from services.reporting.dashboard.page import FIELD_COLOURS, _language
from shared.contracts.bounds import PAGE_MAX
from shared.contracts.vocabulary import LANGUAGES, InitiativeField, UnitLevel

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
    level = next(p for p in parameters if p["name"] == "level")["schema"]
    assert level["default"] == UnitLevel.affiliated == "affiliated"  # the affiliated unions'
    past = reporting.get(
        LEAGUE.format(campaign_code="2022", phase_code="dot-1"), params={"limit": PAGE_MAX + 1}
    )
    assert past.status_code == 422
