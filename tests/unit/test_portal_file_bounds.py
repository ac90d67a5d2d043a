"""The file bounds the portal states are the ones the APIs apply (shared.contracts.bounds):
a page that names a limit of its own would tell a person a file fits that the API refuses.
(An attachment's size is a setting of submissions', SUBMISSIONS_ATTACHMENT_MAX_BYTES, that the
portal cannot read: its hint names the default.)"""

import ast
from pathlib import Path

from fastapi.testclient import TestClient

from services.submissions.initiatives.attachments import MAGIC
from shared.contracts.bounds import (
    ATTACHMENT_KINDS,
    PAGE_MAX,
    ROWS_PAGE_MAX,
    SPREADSHEET_FILE_MAX_BYTES,
)
from tests.unit.conftest import MEMBER_AN, submitted_by_an
from tests.unit.portal_helpers import csrf_of, sign_in

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


def test_the_initiative_page_lists_the_attachment_kinds_the_api_takes(
    portal: TestClient, submissions: TestClient
) -> None:
    """Each kind the hint names is taken by the API, by its first bytes and its name; another
    is refused."""
    assert set(MAGIC) == set(ATTACHMENT_KINDS)  # the API knows how each kind begins
    initiative = submitted_by_an(submissions)
    url = f"/api/v1/initiatives/{initiative}/attachments"
    named = []
    for content_type, suffixes in ATTACHMENT_KINDS.items():
        for suffix in suffixes:
            file = (f"tep{suffix}", MAGIC[content_type] + b"x" * 100, "application/octet-stream")
            taken = submissions.post(url, files={"file": file}, headers=MEMBER_AN)
            assert taken.status_code == 201, (suffix, taken.text)
            assert taken.json()["content_type"] == content_type
            named.append(suffix.removeprefix(".").upper())
    gif = ("anh.gif", b"GIF89a" + b"x" * 100, "image/gif")
    assert submissions.post(url, files={"file": gif}, headers=MEMBER_AN).status_code == 415
    sign_in(portal, "member-pvgas")  # An, its author
    page = portal.get(f"/portal/sang-kien/{initiative}").text
    assert f"{', '.join(named)}; tối đa 10 MB" in page
    assert named == ["PDF", "DOCX", "XLSX", "PPTX", "PNG", "JPG", "JPEG"]


def test_the_portal_asks_for_the_largest_page_by_the_bounds_name() -> None:
    """A page of the APIs' lists holds at most PAGE_MAX (ROWS_PAGE_MAX for short rows): where
    the portal wants all it can get, it names that bound, so that a smaller one is not refused
    (422) or, for a reviewer's own reviews, silently shown as none. A literal `limit` is a
    page size of the portal's own, smaller than the bound."""
    portal = Path(__file__).resolve().parents[2] / "services" / "portal"
    literal: dict[str, int] = {}
    for module in [*portal.glob("*.py"), *portal.glob("pages/*.py")]:
        for node in ast.walk(ast.parse(module.read_text())):
            if isinstance(node, ast.Dict):
                for key, value in zip(node.keys, node.values, strict=True):
                    match key, value:
                        case ast.Constant(value="limit"), ast.Constant(value=int(size)):
                            literal[f"{module.name}:{node.lineno}"] = size
    assert {at: n for at, n in literal.items() if n >= min(PAGE_MAX, ROWS_PAGE_MAX)} == {}
    assert literal  # the search found the pages' own sizes (the subscribers' 100, …)


def test_an_attachment_past_the_setting_is_refused_with_that_bound_as_written(
    submissions: TestClient,
) -> None:
    """The unit tests' submissions take 64 KB (SUBMISSIONS_ATTACHMENT_MAX_BYTES): the refusal
    says 0,1 MB (0.0625 written to one place), not '0 MB' (it did, by whole megabytes)."""
    initiative = submitted_by_an(submissions)
    big = ("lon.pdf", MAGIC["application/pdf"] + b"x" * 64 * 1024, "application/pdf")
    refused = submissions.post(
        f"/api/v1/initiatives/{initiative}/attachments", files={"file": big}, headers=MEMBER_AN
    )
    assert refused.status_code == 413
    error = refused.json()["errors"][0]
    assert error["message_vi"] == "Tệp vượt quá dung lượng cho phép (0,1 MB)"
    assert error["message_en"] == "The file is larger than allowed (0.1 MB)"
