"""The portal's initiative form holds an initiative as the API does: an author's parts, as
many authors as the contract allows (shared.contracts.bounds.AUTHORS_MAX), and required the
parts the API requires (shared.contracts.initiative_parts), no list or bound of its own."""

import dataclasses
import re

from fastapi.testclient import TestClient
from starlette.datastructures import FormData

from services.portal.pages.initiatives import (
    AUTHOR_PARTS,
    TEXTS,
    AuthorRow,
    InitiativeForm,
    shown_again,
)
from shared.contracts.bounds import AUTHORS_MAX
from shared.contracts.initiative_parts import INITIATIVE_PARTS, PARTS_BY_NAME
from shared.contracts.initiatives import InitiativeAuthor
from tests.unit.portal_helpers import sign_in


def _typed(rows: int, **more: str) -> FormData:
    return FormData(
        [
            *(
                (f"authors-{row}-{part}", f"{part} {row}")
                for row in range(rows)
                for part in AUTHOR_PARTS
            ),
            *more.items(),
        ]
    )


def test_an_author_row_has_the_parts_of_the_apis_author() -> None:
    assert tuple(InitiativeAuthor.model_fields) == AUTHOR_PARTS
    assert tuple(part.name for part in dataclasses.fields(AuthorRow)) == AUTHOR_PARTS


def test_the_form_holds_as_many_authors_as_the_contract_and_no_more() -> None:
    full = InitiativeForm.from_form(_typed(AUTHORS_MAX + 1))
    assert len(full.authors) == AUTHORS_MAX  # the row past the bound is not read
    assert full.authors[-1] == AuthorRow(*(f"{part} {AUTHORS_MAX - 1}" for part in AUTHOR_PARTS))

    adding = _typed(AUTHORS_MAX - 1, _action="add_author")
    one_short = InitiativeForm.from_form(adding)
    assert shown_again(adding, one_short) is not None
    assert len(one_short.authors) == AUTHORS_MAX  # a row added, up to the bound
    assert shown_again(adding, one_short) is not None
    assert len(one_short.authors) == AUTHORS_MAX  # and no further


def test_a_row_number_no_form_writes_is_not_read() -> None:
    # int() of 5,000 digits raises past Python's 4,300-digit limit: a 500 before (review).
    typed = FormData([(f"authors-{'9' * 5000}-member_id", "x"), ("authors-0-member_id", "y")])
    assert InitiativeForm.from_form(typed).authors[0].member_id == "y"
    assert len(InitiativeForm.from_form(typed).authors) <= AUTHORS_MAX


def test_the_form_shows_an_input_and_a_heading_for_each_part(portal: TestClient) -> None:
    sign_in(portal, "member-pvgas")
    page = portal.get("/portal/sang-kien/moi")
    assert page.status_code == 200
    for part in AUTHOR_PARTS:
        assert f'id="col-{part}"' in page.text
        assert f'name="authors-0-{part}"' in page.text
    assert "Tỷ lệ đóng góp (%)" in page.text


def test_the_form_marks_required_the_parts_the_api_requires(portal: TestClient) -> None:
    sign_in(portal, "member-pvgas")
    page = portal.get("/portal/sang-kien/moi").text
    tags = re.findall(r"<(?:input|select|textarea)\b[^>]*>", page)
    inputs = {named.group(1): tag for tag in tags if (named := re.search(r'name="([^"]+)"', tag))}
    for part in INITIATIVE_PARTS:
        if part.name in TEXTS:
            assert ('aria-required="true"' in inputs[part.name]) == part.required, part.name
    legend = re.search(r"<legend>(.*?)</legend>", page.split('id="authors"', 1)[1], re.S)
    assert legend and ('class="required"' in legend.group(1)) == PARTS_BY_NAME["authors"].required
