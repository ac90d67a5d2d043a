"""Numbers, amounts and dates on the portal: written as the reader writes them, through
shared.formatting (1,5 KB in Vietnamese, 1.5 KB in English; an API date or amount by one
helper each), and read back as the initiatives sheet reads them."""

from datetime import date

import pytest
from fastapi.testclient import TestClient

from services.portal.forms import parse_date_vn, parse_vnd
from services.portal.web import vn_date, vnd_input
from services.submissions.initiatives.spreadsheet.cells import PARSERS
from shared.formatting import format_date, format_vnd
from tests.unit.conftest import MEMBER_AN, initiative_body, submitted_by_an
from tests.unit.portal_helpers import sign_in


def test_an_attachments_size_is_written_as_the_reader_writes_a_number(
    portal: TestClient, submissions: TestClient
) -> None:
    initiative = submitted_by_an(submissions)
    attached = submissions.post(
        f"/api/v1/initiatives/{initiative}/attachments",
        files={"file": ("mo-ta.pdf", b"%PDF-" + b"x" * (1536 - 5), "application/pdf")},
        headers=MEMBER_AN,
    )
    assert attached.status_code == 201, attached.text
    sign_in(portal, "member-pvgas")  # An, its author
    assert "(1,5 KB, " in portal.get(f"/portal/sang-kien/{initiative}").text
    assert "(1.5 KB, " in portal.get(f"/portal/sang-kien/{initiative}?lang=en").text


def test_an_api_date_or_amount_is_written_once_for_pages_and_forms() -> None:
    assert vn_date("2022-04-05") == "05/04/2022"
    assert vn_date("2022-04-04T17:30:00+00:00") == "05/04/2022"  # the day it was in Vietnam
    assert vn_date(None) == "—" and vn_date("") == "—"
    assert vnd_input(1_200_000_000) == "1.200.000.000" and vnd_input(None) == ""


def test_the_amend_form_shows_the_dates_and_amounts_as_they_are_typed(
    portal: TestClient, submissions: TestClient
) -> None:
    body = initiative_body(first_applied_on="2022-03-01", measured_benefit_vnd=1_200_000)
    created = submissions.post("/api/v1/initiatives", json=body, headers=MEMBER_AN)
    assert created.status_code == 201, created.text
    sign_in(portal, "member-pvgas")  # An, its author
    form = portal.get(f"/portal/sang-kien/{created.json()['id']}/sua").text
    assert 'value="01/03/2022"' in form
    assert 'value="350.000.000"' in form and 'value="1.200.000"' in form


@pytest.mark.parametrize("currency", ["", " ₫", "₫", " VND", " vnđ", " đồng", "đ", " dong", "d"])
def test_an_amount_is_read_as_the_initiatives_sheet_reads_it(currency: str) -> None:
    """The form and the sheet (two services' parsers) take an amount written the same ways."""
    for written in ("1.200.000", "1,200,000", "1200000", format_vnd(1_200_000).removesuffix(" ₫")):
        typed = written + currency
        assert parse_vnd(typed) == 1_200_000, typed
        assert PARSERS["expected_benefit_vnd"](typed) == 1_200_000, typed


@pytest.mark.parametrize(
    "written", ["05/04/2022", "5/4/2022", "05-04-2022", "05.04.2022", "2022-04-05"]
)
def test_a_date_is_read_as_the_initiatives_sheet_reads_it(written: str) -> None:
    assert parse_date_vn(written) == PARSERS["first_applied_on"](written) == date(2022, 4, 5)
    assert parse_date_vn(format_date(date(2022, 4, 5))) == date(2022, 4, 5)
