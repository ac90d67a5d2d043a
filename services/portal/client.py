"""The portal calls the submissions JSON API in-process, as the signed-in person.

Every page is a thin view over the API: the request goes through the same app (its routes,
validation, authorisation, outbox), with the person's token as a bearer token, over
`httpx.ASGITransport`. The transport does not run the lifespan; it does not need to, since the
app serving the page is the app answering the call, already started: `request.app.state` (the
database sessions, the outbox) is the same object for both.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
from fastapi import HTTPException, Request

from shared.messaging.tracing import outgoing_traceparent

SIGN_IN_AGAIN = "/portal/dang-nhap?het-han=1"
TOKEN_COOKIE = "thidua_portal_token"


@dataclass(frozen=True)
class ApiError:
    """One entry of an API error body: {"errors": [{field, code, message_vi, message_en}]}."""

    field: str
    code: str
    message_vi: str
    message_en: str
    row: int | None = None


def errors_of(response: httpx.Response) -> list[ApiError]:
    """The errors an API answer carries (one generic error if its body is not the usual)."""
    try:
        body: Any = response.json()
        return [
            ApiError(
                field=str(e.get("field") or ""),
                code=str(e.get("code") or ""),
                message_vi=str(e.get("message_vi") or e.get("message_en") or ""),
                message_en=str(e.get("message_en") or e.get("message_vi") or ""),
                row=e.get("row") if isinstance(e.get("row"), int) else None,
            )
            for e in body["errors"]
        ]
    except (ValueError, KeyError, TypeError, AttributeError):
        return [
            ApiError(
                "",
                f"http_{response.status_code}",
                f"Hệ thống trả lời lỗi {response.status_code}",
                f"The system answered with error {response.status_code}",
            )
        ]


async def _sign_in_again_on_401(response: httpx.Response) -> None:
    # An expired or revoked token: back to the sign-in page, forgetting the cookie.
    if response.status_code == 401:
        raise HTTPException(
            303,
            headers={
                "Location": SIGN_IN_AGAIN,
                "Set-Cookie": f"{TOKEN_COOKIE}=; Max-Age=0; Path=/portal; HttpOnly; SameSite=Lax",
            },
        )


@asynccontextmanager
async def api(request: Request, token: str | None) -> AsyncIterator[httpx.AsyncClient]:
    """A client of this very app's API, sending `token` and continuing the page's trace."""
    headers = {"accept": "application/json", "traceparent": outgoing_traceparent()}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=request.app),
        base_url="http://portal",
        headers=headers,
        timeout=60,
        event_hooks={"response": [_sign_in_again_on_401]},
    ) as client:
        yield client
