"""Every response of every service carries the security headers; `/docs`, `/openapi.json` and
`/metrics` open, behind a token or off as the deployment says; bodies over the limit refused
with 413 before they are read (issue 14, points 2 and 4). On the real apps."""

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from starlette.types import Message

from services.reporting.dashboard.page import SHARED_LOOK, STATIC_URL
from services.scoring.bootstrap import define as define_scoring
from services.scoring.config import ScoringSettings
from shared.auth.settings import load_auth_settings
from shared.http.body_limit import BodySizeLimitMiddleware
from shared.migrations import upgrade_to_head
from shared.service_app import create_app
from tests.unit.conftest import ADMIN

REPO = Path(__file__).resolve().parents[2]
OPS_TOKEN = "an-ops-token-for-prometheus-of-32-bytes+"
SECRET = "a-production-secret-of-at-least-32-bytes!"


def _assert_protected(headers: object, where: str) -> None:
    assert hasattr(headers, "get")
    policy = headers.get("content-security-policy", "")
    assert "frame-ancestors 'none'" in policy, where
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy, where
    assert "object-src 'none'" in policy, where
    assert headers.get("x-frame-options") == "DENY", where
    assert headers.get("x-content-type-options") == "nosniff", where
    assert headers.get("referrer-policy") == "strict-origin-when-cross-origin", where


def test_every_answer_of_every_service_carries_the_security_headers(
    every_service: dict[str, TestClient],
) -> None:
    for name, client in every_service.items():
        for method, path, expected in (
            ("GET", "/health", 200),
            ("GET", "/metrics", 200),
            ("GET", "/no/such/page", 404),
            ("POST", "/health", 405),
        ):
            response = client.request(method, path)
            assert response.status_code == expected, (name, path)
            _assert_protected(response.headers, f"{name} {method} {path}")
    # A refusal by a route, and the dashboard's HTML page.
    refused = every_service["submissions"].post("/api/v1/initiatives", json={})
    assert refused.status_code == 401
    _assert_protected(refused.headers, "submissions 401")
    page = every_service["reporting"].get("/dashboard")
    assert page.headers["content-type"].startswith("text/html")
    _assert_protected(page.headers, f"dashboard {page.status_code}")


def test_swagger_ui_gets_its_own_policy_still_unframeable(reporting: TestClient) -> None:
    docs = reporting.get("/docs")
    assert docs.status_code == 200
    assert "frame-ancestors 'none'" in docs.headers["content-security-policy"]
    assert "https://cdn.jsdelivr.net" in docs.headers["content-security-policy"]
    assert docs.headers["x-frame-options"] == "DENY"


def test_the_dashboards_pages_have_no_inline_script_or_style() -> None:
    templates = REPO / "services" / "reporting" / "templates"
    for template in templates.glob("*.html"):
        text = template.read_text()
        assert not re.search(r"\sstyle\s*=", text), template.name
        assert not re.search(r"\son[a-z]+\s*=", text), template.name
        assert "<style" not in text, template.name
        for tag in re.findall(r"<script[^>]*>", text):
            # Loaded from a file, or a data block the browser does not execute.
            assert "src=" in tag or 'type="application/json"' in tag, (template.name, tag)


@pytest.fixture
def production_scoring(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[tuple[pytest.MonkeyPatch, Path]]:
    monkeypatch.setenv("THIDUA_ENV", "production")
    monkeypatch.setenv("THIDUA_AUTH_SECRET", SECRET)
    monkeypatch.setenv("THIDUA_OPS_TOKEN", OPS_TOKEN)
    load_auth_settings.cache_clear()
    url = f"sqlite+aiosqlite:///{tmp_path / 'scoring.sqlite3'}"
    upgrade_to_head("services.scoring", url)
    yield monkeypatch, tmp_path
    load_auth_settings.cache_clear()


def _scoring_app(tmp_path: Path) -> TestClient:
    url = f"sqlite+aiosqlite:///{tmp_path / 'scoring.sqlite3'}"
    settings = ScoringSettings(database_url=url, kafka_bootstrap_servers="127.0.0.1:1")
    return TestClient(create_app(define_scoring(settings)))


def test_in_production_docs_are_off_and_metrics_need_the_ops_token(
    production_scoring: tuple[pytest.MonkeyPatch, Path],
) -> None:
    _, folder = production_scoring
    with _scoring_app(folder) as client:
        for path in ("/docs", "/redoc", "/openapi.json"):
            off = client.get(path)
            assert off.status_code == 404, path
            _assert_protected(off.headers, path)
        assert client.get("/metrics").status_code == 401
        wrong = client.get("/metrics", headers={"authorization": "Bearer not-the-token"})
        assert wrong.status_code == 401
        assert wrong.json()["errors"][0]["code"] == "ops_token_required"
        metrics = client.get("/metrics", headers={"authorization": f"Bearer {OPS_TOKEN}"})
        assert metrics.status_code == 200
        assert "strict-transport-security" in metrics.headers
        assert client.get("/health").status_code == 200  # probes carry no token


def test_in_production_the_docs_may_be_put_behind_the_token(
    production_scoring: tuple[pytest.MonkeyPatch, Path],
) -> None:
    monkeypatch, folder = production_scoring
    monkeypatch.setenv("THIDUA_DOCS", "token")
    monkeypatch.setenv("THIDUA_METRICS", "off")
    with _scoring_app(folder) as client:
        assert client.get("/openapi.json").status_code == 401
        described = client.get("/openapi.json", headers={"authorization": f"Bearer {OPS_TOKEN}"})
        assert described.status_code == 200
        assert "paths" in described.json()
        with_token = {"authorization": f"Bearer {OPS_TOKEN}"}
        assert client.get("/metrics", headers=with_token).status_code == 404


def test_a_body_over_the_limit_is_refused_with_413_naming_it(submissions: TestClient) -> None:
    too_big = b'{"title": "' + b"x" * (3 * 1024 * 1024) + b'"}'
    response = submissions.post(
        "/api/v1/initiatives",
        content=too_big,
        headers={"authorization": f"Bearer {ADMIN}", "content-type": "application/json"},
    )
    assert response.status_code == 413
    [error] = response.json()["errors"]
    assert (error["field"], error["code"]) == ("(body)", "too_large")
    assert "2 MiB" in error["message_en"] and "2 MiB" in error["message_vi"]
    _assert_protected(response.headers, "413")


def test_a_chunked_body_is_cut_off_at_the_limit_in_the_error_shape(
    submissions: TestClient,
) -> None:
    sent = 0

    def chunks() -> Iterator[bytes]:
        nonlocal sent
        yield b'{"title": "'
        for _ in range(64):  # 64 × 64 KiB = 4 MiB, twice the limit for JSON
            sent += 1
            yield b"x" * 65536
        yield b'"}'

    response = submissions.post(
        "/api/v1/initiatives",
        content=chunks(),
        headers={"authorization": f"Bearer {ADMIN}", "content-type": "application/json"},
    )
    assert response.status_code == 413
    assert response.json()["errors"][0]["code"] == "too_large"


async def test_a_declared_length_over_the_limit_is_answered_without_reading_the_body() -> None:
    called: list[str] = []

    async def app(scope: object, receive: object, send: object) -> None:
        called.append("app")

    reads: list[Message] = []

    async def receive() -> Message:
        reads.append({"type": "http.request"})
        return {"type": "http.request", "body": b"", "more_body": False}

    answer: list[Message] = []

    async def send(message: Message) -> None:
        answer.append(message)

    limited = BodySizeLimitMiddleware(app, max_file_bytes=10_000, max_text_bytes=1_000)
    scope = {
        "type": "http",
        "method": "POST",
        "path": "/api/v1/initiatives",
        "headers": [(b"content-type", b"application/json"), (b"content-length", b"10485760")],
    }
    await limited(scope, receive, send)
    assert (called, reads) == ([], [])
    assert answer[0]["status"] == 413
    # Files get the larger limit.
    assert limited.limit_for_content_type("multipart/form-data; boundary=x") == 10_000


def test_the_dashboard_serves_the_look_it_shares_with_the_portal(reporting: TestClient) -> None:
    """Kept once with the portal's static files; the dashboard links it from its own."""
    shared = reporting.get(f"{STATIC_URL}/base.css")
    assert shared.status_code == 200
    assert shared.headers["content-type"] == "text/css; charset=utf-8"
    assert shared.content == SHARED_LOOK.read_bytes() and b"--" in shared.content
    assert reporting.head(f"{STATIC_URL}/base.css").status_code == 200
    page = reporting.get("/dashboard")
    assert f'href="{STATIC_URL}/base.css"' in page.text
