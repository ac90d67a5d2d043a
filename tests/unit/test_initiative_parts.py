"""The initiative's parts are declared once (shared.contracts.initiative_parts): the API's
schema, the table, the spreadsheet and the portal's form all name the same parts."""

from typing import Any

from services.portal.pages.initiatives import TEXTS
from services.portal.words import WORDS
from services.submissions.initiatives.schemas import AuthorIn, InitiativeCreate, InitiativeUpdate
from services.submissions.initiatives.spreadsheet import FIELDS, HEADERS_VI, REQUIRED_COLUMNS
from services.submissions.initiatives.tables import Initiative, InitiativeAuthor
from shared.contracts import InitiativeSubmitted
from shared.contracts.initiative_parts import INITIATIVE_PARTS

NAMES = [part.name for part in INITIATIVE_PARTS]


def test_the_api_takes_exactly_the_parts_and_requires_the_required_ones() -> None:
    assert set(InitiativeCreate.model_fields) - {"campaign_code"} == set(NAMES)
    required = {name for name, f in InitiativeCreate.model_fields.items() if f.is_required()}
    assert required == {part.name for part in INITIATIVE_PARTS if part.required}
    # An amendment changes any part but where it belongs (its unit) and its confidentiality.
    assert set(InitiativeUpdate.model_fields) == set(NAMES) - {"unit_code", "confidential"}
    described = InitiativeCreate.model_fields["problem"].description
    assert described == "Thực trạng, vấn đề cần giải quyết."


def test_the_table_and_the_event_keep_every_part() -> None:
    columns = set(Initiative.model_fields) | {"authors"}  # authors: a table of their own
    assert set(NAMES) <= columns
    assert {"member_id", "full_name", "share_percent"} <= set(InitiativeAuthor.model_fields)
    # The event shares who and what, not the content: what it carries, it names as the parts.
    shared = {"title", "unit_code", "field", "authors", "confidential", "first_applied_on"}
    assert shared | {"expected_benefit_vnd", "received_on"} <= set(InitiativeSubmitted.model_fields)
    assert not {"problem", "solution", "novelty"} & set(InitiativeSubmitted.model_fields)


def test_the_spreadsheet_and_the_form_are_laid_out_from_the_parts() -> None:
    assert list(FIELDS) == NAMES
    assert set(REQUIRED_COLUMNS) == {part.name for part in INITIATIVE_PARTS if part.required}
    assert HEADERS_VI["problem"] == "Thực trạng"  # the sheet's short header
    assert set(TEXTS) <= set(NAMES) and "received_on" not in TEXTS
    for part in INITIATIVE_PARTS:
        assert WORDS[f"ini.{part.name}"] == part.label


def _bounds(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """A property's types and bounds, whether it may be null or not, without its words."""
    return [
        {k: v for k, v in kind.items() if k not in ("description", "title", "default")}
        for kind in schema.get("anyOf", [schema])
        if kind != {"type": "null"}
    ]


def test_an_amendment_holds_each_part_to_the_bounds_a_submission_does() -> None:
    created = InitiativeCreate.model_json_schema()["properties"]
    amended = InitiativeUpdate.model_json_schema()["properties"]
    for name, schema in amended.items():
        assert _bounds(schema) == _bounds(created[name]), name


def test_the_form_labels_an_authors_parts_as_the_api_describes_them() -> None:
    for name, field in AuthorIn.model_fields.items():
        assert f"{WORDS[f'ini.{name}'][0]}." == field.description, name
