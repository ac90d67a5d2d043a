"""The portal's static files: each by its name, anything else a 404 (never a 5xx).

A fuzz found `GET /portal/static/<300 × A>` a 500: the name went to the file system, which
refused it (OSError: [Errno 36] File name too long)."""

import pytest
from fastapi.testclient import TestClient

from services.portal.app import STATIC
from tests.unit.portal_helpers import PORTAL, portal_app


@pytest.fixture(scope="module")
def portal() -> TestClient:
    # No page here calls a service: the portal alone.
    return TestClient(portal_app(), base_url=PORTAL)


@pytest.mark.parametrize(
    "name", ["A" * 300, "A" * 5000, "%2E%2E", "..%2Fapp.py", "%2E", "nope.css"]
)
def test_a_name_that_is_no_static_file_is_404(portal: TestClient, name: str) -> None:
    assert portal.get(f"/portal/static/{name}").status_code == 404


def test_every_static_file_is_served_by_its_name(portal: TestClient) -> None:
    names = sorted(path.name for path in STATIC.iterdir() if path.is_file())
    assert "portal.css" in names
    for name in names:
        answer = portal.get(f"/portal/static/{name}")
        assert answer.status_code == 200
        assert answer.content == (STATIC / name).read_bytes()
    assert portal.get("/portal/static/portal.css").headers["content-type"].startswith("text/css")
