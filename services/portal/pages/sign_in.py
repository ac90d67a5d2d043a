"""Sign in and sign out.

Development: choose a demo user and the portal mints their token, only where anyone could
mint it anyway (the public development secret, not in production). Anywhere: paste a bearer
token your identity provider issued; it is checked like the services check it. The sign-in
form carries the pre-session's CSRF token, like every form.
"""

import asyncio
from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from services.portal import session
from services.portal.client import ServiceUnavailable, api
from services.portal.forms import FormErrors
from services.portal.i18n import Language
from services.portal.menu import MenuItem
from services.portal.web import PORTAL, language, redirect, render
from shared.auth import TokenError, auth_settings, decode_token, demo_sign_in_enabled
from shared.dev_tokens import DEMO_USERS, token_for

router = APIRouter(include_in_schema=False)
PAGE = f"{PORTAL}/dang-nhap"
MENU: tuple[MenuItem, ...] = ()


def _demo_allowed(request: Request) -> bool:
    # Minting tokens is only harmless where anyone can mint them anyway: the public dev
    # secret, in development.
    return demo_sign_in_enabled(request)


async def _demo_users(request: Request) -> list[dict[str, Any]]:
    """The demo users with their unit's name, looked up with each one's own token (at once)."""
    settings = auth_settings(request)

    async def unit_name(key: str, unit_code: str) -> str | None:
        try:
            async with api(request, token_for(key, settings, timedelta(minutes=1))) as client:
                response = await client.get(f"/api/v1/units/{unit_code}")
        except ServiceUnavailable:
            return None  # the list still lets one sign in; the names come back with submissions
        return str(response.json()["name"]) if response.status_code == 200 else None

    names = await asyncio.gather(*(unit_name(k, d.unit_code) for k, d in DEMO_USERS.items()))
    return [
        {
            "key": key,
            "name": demo.name,
            "roles": [role.value for role in demo.roles],
            "unit_code": demo.unit_code,
            "unit_name": name,
        }
        for (key, demo), name in zip(DEMO_USERS.items(), names, strict=True)
    ]


def _safe_next(value: object) -> str:
    text = value if isinstance(value, str) else ""
    ok = text.startswith(PORTAL) and not text.startswith("//") and "\\" not in text
    return text if ok else PORTAL


async def _page(
    request: Request,
    lang: Language,
    *,
    next_page: str,
    errors: FormErrors,
    status_code: int = 200,
    expired: bool = False,
) -> HTMLResponse:
    allowed = _demo_allowed(request)
    return render(
        request,
        "sign_in.html",
        lang,
        status_code=status_code,
        allowed=allowed,
        users=await _demo_users(request) if allowed else [],
        next=next_page,
        expired=expired,
        errors=errors,
    )


@router.get(PAGE, response_class=HTMLResponse)
async def sign_in_page(request: Request) -> HTMLResponse:
    return await _page(
        request,
        language(request),
        next_page=_safe_next(request.query_params.get("next")),
        errors=FormErrors(),
        expired="het-han" in request.query_params,
    )


@router.post(PAGE, response_model=None)
async def sign_in(request: Request) -> Response:
    form = await request.form()
    lang = language(request, form)
    key, pasted = form.get("user"), str(form.get("token") or "").strip()
    token: str | None = None
    errors = FormErrors()
    if pasted:
        try:
            decode_token(pasted, auth_settings(request))
            token = pasted
        except TokenError:
            errors.add_words("token", "signin.bad_token")
    elif _demo_allowed(request) and isinstance(key, str) and key in DEMO_USERS:
        hours = request.app.state.settings.session_hours
        token = token_for(key, auth_settings(request), timedelta(hours=hours))
    else:
        errors.add_words("user" if _demo_allowed(request) else "token", "signin.choose_someone")
    if token is None:
        return await _page(
            request, lang, next_page=_safe_next(form.get("next")), errors=errors, status_code=422
        )
    session.start(request, token)
    return redirect(_safe_next(form.get("next")))


@router.post(f"{PORTAL}/dang-xuat")
async def sign_out(request: Request) -> Response:
    session.end(request)
    return redirect(PAGE, ("success", "signin.signed_out", {}))
