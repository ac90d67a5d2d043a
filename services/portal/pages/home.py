"""Sign in (demo users, development only), sign out, the home page, the stylesheet."""

from datetime import timedelta
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from services.submissions.portal import lookups
from services.submissions.portal.client import TOKEN_COOKIE, api
from services.submissions.portal.forms import FormErrors
from services.submissions.portal.web import (
    PORTAL,
    SignedIn,
    language,
    redirect,
    render,
    set_flash,
)
from shared.auth import auth_settings
from shared.dev_tokens import DEMO_USERS, token_for

router = APIRouter(include_in_schema=False)
STATIC = Path(__file__).parent / "static"
SESSION = timedelta(hours=8)


@router.get("/")
async def root() -> RedirectResponse:
    return RedirectResponse(PORTAL, status_code=307)


@router.get(f"{PORTAL}/static/portal.css")
async def stylesheet() -> FileResponse:
    return FileResponse(
        STATIC / "portal.css",
        media_type="text/css; charset=utf-8",
        headers={"Cache-Control": "public, max-age=300"},
    )


def _dev_sign_in_allowed(request: Request) -> bool:
    # Minting tokens is only harmless where anyone can mint them anyway: the public dev secret.
    return auth_settings(request).uses_dev_secret


async def _demo_users(request: Request) -> list[dict[str, Any]]:
    """The demo users with their unit's name, looked up with each one's own token."""
    settings = auth_settings(request)
    users = []
    for key, demo in DEMO_USERS.items():
        async with api(request, token_for(key, settings, timedelta(minutes=1))) as client:
            response = await client.get(f"/api/v1/units/{demo.unit_code}")
        unit = response.json() if response.status_code == 200 else None
        users.append(
            {
                "key": key,
                "name": demo.name,
                "roles": [role.value for role in demo.roles],
                "unit_code": demo.unit_code,
                "unit_name": unit["name"] if unit else None,
            }
        )
    return users


def _safe_next(value: object) -> str:
    text = value if isinstance(value, str) else ""
    ok = text.startswith(PORTAL) and not text.startswith("//") and "\\" not in text
    return text if ok else PORTAL


@router.get(f"{PORTAL}/dang-nhap", response_class=HTMLResponse)
async def sign_in_page(request: Request) -> HTMLResponse:
    lang = language(request)
    allowed = _dev_sign_in_allowed(request)
    return render(
        request,
        "sign_in.html",
        lang,
        allowed=allowed,
        users=await _demo_users(request) if allowed else [],
        next=_safe_next(request.query_params.get("next")),
        expired="het-han" in request.query_params,
        errors=FormErrors(),
        chosen=None,
    )


@router.post(f"{PORTAL}/dang-nhap", response_model=None)
async def sign_in(request: Request) -> Response:
    form = await request.form()
    lang = language(request, form)
    key = form.get("user")
    allowed = _dev_sign_in_allowed(request)
    if not allowed or not isinstance(key, str) or key not in DEMO_USERS:
        errors = FormErrors()
        if allowed:
            errors.add_words("user", "signin.unknown_user")
        return render(
            request,
            "sign_in.html",
            lang,
            status_code=422 if allowed else 403,
            allowed=allowed,
            users=await _demo_users(request) if allowed else [],
            next=_safe_next(form.get("next")),
            expired=False,
            errors=errors,
            chosen=None,
        )
    response = redirect(_safe_next(form.get("next")))
    response.set_cookie(
        TOKEN_COOKIE,
        token_for(key, auth_settings(request), SESSION),
        max_age=int(SESSION.total_seconds()),
        path=PORTAL,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )
    return response


@router.post(f"{PORTAL}/dang-xuat")
async def sign_out() -> RedirectResponse:
    response = redirect(f"{PORTAL}/dang-nhap")
    response.delete_cookie(TOKEN_COOKIE, path=PORTAL, httponly=True, samesite="lax")
    set_flash(response, ("success", "signin.signed_out", {}))
    return response


@router.get(PORTAL, response_class=HTMLResponse)
async def home(request: Request, user: SignedIn) -> HTMLResponse:
    lang = language(request)
    code = lookups.campaign_code(request)
    async with api(request, user.token) as client:
        campaign = await lookups.get_campaign(client, code)
        unit_response = await client.get(f"/api/v1/units/{user.unit_code}")
    unit = unit_response.json() if unit_response.status_code == 200 else None
    return render(
        request,
        "home.html",
        lang,
        user=user,
        code=code,
        campaign=campaign,
        definition=campaign["definition"] if campaign else None,
        phases=lookups.phases(campaign),
        unit=unit,
    )
