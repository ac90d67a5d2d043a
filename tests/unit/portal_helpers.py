"""The portal in process for the unit tests: its calls to the services answered by their apps
under a TestClient, and what a person does first on it (signs in, reads a form's CSRF token).
The fixtures over it are in tests/unit/conftest.py."""

import asyncio
import re
from datetime import timedelta

import httpx
from fastapi import FastAPI
from fastapi.testclient import TestClient

from services.portal.app import create_app
from services.portal.config import PortalSettings
from shared.auth import load_auth_settings
from shared.dev_tokens import token_for

PORTAL = "http://portal.test"


class InProcess(httpx.AsyncBaseTransport):
    """A service's calls answered by its app under a TestClient (in that client's thread)."""

    def __init__(self, client: TestClient) -> None:
        self.client = client

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = await request.aread()
        headers = {k: v for k, v in request.headers.items() if k.lower() != "host"}
        path = request.url.raw_path.decode()
        answer = await asyncio.to_thread(
            self.client.request, request.method, path, headers=headers, content=body
        )
        return httpx.Response(answer.status_code, headers=answer.headers, content=answer.content)


def portal_app(**services: TestClient) -> FastAPI:
    """The portal with its calls to each service named answered by that service's app."""
    transports = {name: InProcess(client) for name, client in services.items()}
    return create_app(PortalSettings(), transports=transports)


def csrf_of(page: httpx.Response) -> str:
    found = re.search(r'name="_csrf" value="([^"]+)"', page.text)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def sign_in(portal: TestClient, user: str) -> httpx.Response:
    token = csrf_of(portal.get("/portal/dang-nhap"))
    answer: httpx.Response = portal.post(
        "/portal/dang-nhap",
        data={"user": user, "_csrf": token},
        headers={"origin": PORTAL},
        follow_redirects=False,
    )
    return answer


def dev_token(user: str) -> str:
    return token_for(user, load_auth_settings(), timedelta(minutes=5))


def save_a_draft_registration(portal: TestClient) -> tuple[str, dict[str, str]]:
    """PVGAS's officer saves PVGAS-KCM's registration for the page's first open phase and
    first movement, as a draft: the CSRF token, and the phase and unit chosen."""
    sign_in(portal, "officer-pvgas")
    page = portal.get("/portal/dang-ky")
    token = csrf_of(page)
    phase = re.search(r'name="phase_code"[^>]*>.*?<option value="([^"]+)"', page.text, re.S)
    movement = re.search(r'name="movement" id="[^"]+" value="([^"]+)"', page.text)
    assert phase and movement
    chosen = {"phase_code": phase.group(1), "unit_code": "PVGAS-KCM"}
    saved = portal.post(
        "/portal/dang-ky",
        data={"_csrf": token, **chosen, "movement": movement.group(1)},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    return token, chosen
