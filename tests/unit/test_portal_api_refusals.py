"""An API's refusal (4xx) of what a page asked for is a 4xx page with the API's reasons, not a
502 "service unavailable": that page is for a service that failed (5xx).

A fuzz found `GET /portal/quan-tri/don-vi/%E2%80%AE` (admin) a 502: submissions refused the
unit code with a 422 naming it, and the portal took the refusal for a broken service. (The
portal's own input guard now refuses U+202E before the page runs, tests/unit/
test_portal_input_guard.py; here a stand-in for submissions refuses a code the guard lets
through, as the API may refuse any code for a reason of its own.)"""

import json
from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient

from services.portal.app import create_app
from services.portal.config import PortalSettings
from tests.unit.portal_helpers import PORTAL, sign_in

REFUSED = {
    "errors": [
        {
            "field": "code",
            "code": "string_too_long",
            "message_vi": "Mã đơn vị quá dài (tối đa 50 ký tự)",
            "message_en": "The unit code is too long (50 characters at most)",
        }
    ]
}


def submissions(request: httpx.Request) -> httpx.Response:
    if request.url.path == "/api/v1/units/REFUSED":
        return httpx.Response(422, json=REFUSED)
    if request.url.path == "/api/v1/units/FORBIDDEN":
        return httpx.Response(403, content=b"<html>proxy says no</html>")
    if request.url.path == "/api/v1/units/BROKEN":
        return httpx.Response(500, content=json.dumps({"errors": []}).encode())
    return httpx.Response(404, json={"errors": []})


def nothing(_: httpx.Request) -> httpx.Response:
    return httpx.Response(404, json={"errors": []})


@pytest.fixture
def portal() -> Iterator[TestClient]:
    transports = {
        "submissions": httpx.MockTransport(submissions),
        "notifications": httpx.MockTransport(nothing),
    }
    app = create_app(PortalSettings(), transports=transports)
    with TestClient(app, base_url=PORTAL) as client:
        assert sign_in(client, "admin").status_code == 303
        yield client


def test_the_apis_422_for_the_paths_unit_is_a_422_page_with_its_reason(
    portal: TestClient,
) -> None:
    answer = portal.get("/portal/quan-tri/don-vi/REFUSED")
    assert answer.status_code == 422
    assert "<code>code</code>: Mã đơn vị quá dài (tối đa 50 ký tự)" in answer.text
    english = portal.get("/portal/quan-tri/don-vi/REFUSED", params={"lang": "en"})
    assert "<code>code</code>: The unit code is too long (50 characters at most)" in english.text


def test_a_4xx_without_the_error_shape_keeps_its_status(portal: TestClient) -> None:
    answer = portal.get("/portal/quan-tri/don-vi/FORBIDDEN")
    assert answer.status_code == 403
    assert "Hệ thống trả lời lỗi 403" in answer.text


def test_a_service_that_fails_is_still_the_502_page(portal: TestClient) -> None:
    assert portal.get("/portal/quan-tri/don-vi/BROKEN").status_code == 502
