"""The portal has the services' input guard (shared.http.input_guard) before every page, and
sends each value of its own path to the API as the one segment it was (client._encoded).

A fuzz found a NUL or a line break in a page's path passed to the API unencoded: httpx refused
the URL (InvalidURL), a 500, on the admin's unit page, the phase open and close buttons and
the contact form."""

import re

import pytest
from fastapi.testclient import TestClient

from tests.unit.portal_helpers import csrf_of, sign_in

POSTS = (
    "/portal/quan-tri/ke-hoach/{}/dot-1/mo",
    "/portal/quan-tri/ke-hoach/fz1/{}/dong",
    "/portal/quan-tri/lien-he/{}",
)


def text_of(page: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def test_a_nul_in_a_pages_path_is_refused_naming_it_before_the_page_runs(
    portal: TestClient,
) -> None:
    sign_in(portal, "admin")
    answer = portal.get("/portal/quan-tri/don-vi/%00")
    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("text/html")
    assert (
        "<code>code</code>: Chứa ký tự điều khiển hoặc ký tự không hợp lệ (U+0000)" in answer.text
    )
    english = portal.get("/portal/quan-tri/don-vi/%00", params={"lang": "en"})
    assert "<code>code</code>: Contains a control or invalid character (U+0000)" in english.text


@pytest.mark.parametrize("path", POSTS)
def test_a_nul_in_a_buttons_path_is_refused_too(portal: TestClient, path: str) -> None:
    sign_in(portal, "admin")
    token = csrf_of(portal.get("/portal/quan-tri/ke-hoach"))
    answer = portal.post(path.format("%00"), data={"_csrf": token}, follow_redirects=False)
    assert answer.status_code == 422
    assert "(U+0000)" in answer.text


def test_a_nul_in_a_form_field_is_refused_naming_the_field(portal: TestClient) -> None:
    sign_in(portal, "officer-pvgas")
    page = portal.get("/portal/khieu-nai")
    answer = portal.post(
        "/portal/khieu-nai",
        data={"_csrf": csrf_of(page), "unit_code": "PVGAS-KCM", "summary": "Đơn\x00khiếu nại"},
    )
    assert answer.status_code == 422
    assert "<code>summary</code>: Chứa ký tự điều khiển" in answer.text


@pytest.mark.parametrize("value", ["PVGAS%3Fx", "PVGAS%23x", "PVGAS%25"])
def test_a_delimiter_in_the_units_path_is_that_unit_not_found(
    portal: TestClient, value: str
) -> None:
    """A "?", "#" or "%" reaches the API encoded, as the unit code it is, and there is no
    such unit: 'PVGAS?x' is not PVGAS."""
    sign_in(portal, "admin")
    assert portal.get("/portal/quan-tri/don-vi/PVGAS").status_code == 200
    answer = portal.get(f"/portal/quan-tri/don-vi/{value}")
    assert answer.status_code == 404
    assert "Không tìm thấy trang" in answer.text


@pytest.mark.parametrize("value", ["%0A", "PVGAS%0D%0A"])
def test_a_line_break_in_the_units_path_is_refused_naming_it(
    portal: TestClient, value: str
) -> None:
    """A path parameter names one thing, on one line (the shared input guard)."""
    sign_in(portal, "admin")
    answer = portal.get(f"/portal/quan-tri/don-vi/{value}")
    assert answer.status_code == 422
    assert "<code>code</code>: Phải nằm trên một dòng" in answer.text


@pytest.mark.parametrize("path", POSTS)
def test_a_line_break_in_a_buttons_path_is_answered_by_the_api_not_a_5xx(
    portal: TestClient, path: str
) -> None:
    sign_in(portal, "admin")
    token = csrf_of(portal.get("/portal/quan-tri/ke-hoach"))
    answer = portal.post(path.format("%0A"), data={"_csrf": token}, follow_redirects=False)
    assert answer.status_code < 500, text_of(answer.text)[:300]


def test_the_fuzzs_right_to_left_override_in_the_units_path_is_a_4xx_page(
    portal: TestClient,
) -> None:
    """Submissions refuses U+202E in a unit code (422); the portal's guard refuses it first,
    with the same reason. It was a 502: the API's 422 taken for a broken service."""
    sign_in(portal, "admin")
    answer = portal.get("/portal/quan-tri/don-vi/%E2%80%AE")
    assert answer.status_code == 422
    assert "(U+202E)" in answer.text
