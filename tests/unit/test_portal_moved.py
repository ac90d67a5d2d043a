"""Submissions' old /portal addresses redirect to the portal where the deployment says it is:
SUBMISSIONS_PORTAL_URL, read with every other submissions setting (the Helm chart sets it)."""

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from services.portal.config import PortalSettings
from services.submissions.bootstrap import define
from services.submissions.config import SubmissionsSettings
from shared.service_app import create_app
from tests.unit.conftest import submissions_settings


def test_an_old_portal_address_redirects_to_the_portal_the_settings_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SUBMISSIONS_PORTAL_URL", "https://portal.thidua.example/")
    settings = submissions_settings(tmp_path)
    assert settings.portal_url == "https://portal.thidua.example/"
    client = TestClient(create_app(define(settings)), follow_redirects=False)
    moved = client.get("/portal/initiatives/new", params={"lang": "en"})
    assert moved.status_code == 301
    assert moved.headers["location"] == (
        "https://portal.thidua.example/portal/initiatives/new?lang=en"
    )
    assert client.get("/portal").headers["location"] == "https://portal.thidua.example/portal"


def test_by_default_it_redirects_to_the_port_the_portal_serves_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("SUBMISSIONS_PORTAL_URL", raising=False)
    monkeypatch.delenv("PORTAL_HTTP_PORT", raising=False)
    port = PortalSettings().http_port
    assert SubmissionsSettings().portal_url == f"http://127.0.0.1:{port}"
