"""The file bounds the portal states are the ones the APIs apply (shared.contracts.bounds):
a page that names a limit of its own would tell a person a file fits that the API refuses."""

from fastapi.testclient import TestClient

from shared.contracts.bounds import SPREADSHEET_FILE_MAX_BYTES
from tests.unit.test_portal import csrf_of, portal, sign_in

__all__ = ["portal"]  # the fixture

MIB = 1024 * 1024


def test_the_import_page_says_the_bound_the_api_refuses_a_larger_sheet_by(
    portal: TestClient,
) -> None:
    sign_in(portal, "admin")
    page = portal.get("/portal/nhap-tep")
    limit_mb = SPREADSHEET_FILE_MAX_BYTES // MIB
    assert f"Tệp .xlsx hoặc .csv, tối đa {limit_mb} MB" in page.text
    refused = portal.post(
        "/portal/nhap-tep/don-vi",
        data={"_csrf": csrf_of(page)},
        files={"file": ("don-vi.csv", b"a" * (SPREADSHEET_FILE_MAX_BYTES + 1), "text/csv")},
    )
    assert refused.status_code == 422
    assert f"MB); tối đa {limit_mb} MB" in refused.text  # the API's refusal, the same number
    english = portal.get("/portal/nhap-tep", params={"lang": "en"})
    assert f"An .xlsx or .csv file, {limit_mb} MB at most" in english.text
