"""What every portal page shares: who is signed in (and may they see this page), the
language, the templates, flash messages.

The signed-in person is the bearer token the session holds (session.py); the language is
`?lang=vi|en` (or a form's `_lang` button), remembered in a cookie, Vietnamese by default.
"""

import base64
import json
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

import httpx
from fastapi import Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from services.portal import session
from services.portal.client import ServiceUnavailable, SignInAgain, api, errors_of
from services.portal.forms import FormErrors
from services.portal.i18n import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    Language,
    Translator,
    language_or_none,
)
from services.portal.menu import MenuItem, menu_for
from shared.auth import Principal, Role, TokenError, auth_settings, decode_token
from shared.formatting import format_date, format_vnd
from shared.i18n import LANGUAGE_NAMES

PORTAL = "/portal"
LANG_COOKIE = "thidua_portal_lang"
FLASH_COOKIE = "thidua_portal_flash"
YEAR_SECONDS = 365 * 24 * 3600

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")


def vn_date(value: object) -> str:
    """An API date or datetime (ISO text) as dd/mm/yyyy, the day it was in Vietnam; "—" for
    none."""
    if isinstance(value, date):
        return format_date(value)
    if not isinstance(value, str) or not value:
        return "—"
    try:
        parsed: date = (
            date.fromisoformat(value) if len(value) == 10 else datetime.fromisoformat(value)
        )
    except ValueError:
        return value
    return format_date(parsed)


def _vnd(value: object) -> str:
    return format_vnd(value) if isinstance(value, int) else "—"


def vnd_input(value: object) -> str:
    """An amount as typed back into a form: 1.200.000.000 (no currency sign)."""
    return format_vnd(value).removesuffix(" ₫") if isinstance(value, int) else ""


def _unit_choices(units: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """Units as the options of a select: (code, "code — name")."""
    return [(u["code"], f"{u['code']} — {u['name']}") for u in units]


TEMPLATES.env.filters.update(vn_date=vn_date, vnd=_vnd, unit_choices=_unit_choices)
TEMPLATES.env.globals["language_names"] = LANGUAGE_NAMES


@dataclass(frozen=True)
class PortalUser:
    """The signed-in person: what their token says, the token to call the APIs with, and how
    many unread messages their inbox holds (None: notifications did not say)."""

    principal: Principal
    token: str
    unread: int | None = None

    @property
    def unit_code(self) -> str:
        return self.principal.unit_code

    @property
    def is_admin(self) -> bool:
        return self.principal.is_federation_admin

    @property
    def acts_for_units(self) -> bool:
        return self.is_admin or self.principal.has_role(Role.UNIT_OFFICER)

    @property
    def roles(self) -> list[str]:
        return sorted(role.value for role in self.principal.roles)

    def has_role(self, *roles: Role) -> bool:
        return any(self.principal.has_role(role) for role in roles)


class PageRefused(Exception):
    """This person's roles do not open this page (the menu does not offer it either)."""

    def __init__(self, user: PortalUser) -> None:
        super().__init__(f"{user.principal.subject} may not open this page")
        self.user = user


def sign_in_location(request: Request) -> str:
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if request.method == "GET" and here != PORTAL:
        return f"{PORTAL}/dang-nhap?next={quote(here, safe='')}"
    return f"{PORTAL}/dang-nhap"


async def _unread(request: Request, token: str) -> int | None:
    # For the menu's badge only: a notifications service that does not answer leaves it off.
    try:
        async with api(request, token, "notifications") as notifications:
            response = await notifications.get("/api/v1/inbox/unread-count")
    except (ServiceUnavailable, SignInAgain):
        return None
    if response.status_code != 200:
        return None
    count = response.json().get("unread")
    return count if isinstance(count, int) else None


async def signed_in(request: Request) -> PortalUser:
    """The signed-in person, or a redirect to the sign-in page."""
    token = session.current(request).token
    try:
        principal = decode_token(token, auth_settings(request))
    except TokenError:
        raise HTTPException(303, headers={"Location": sign_in_location(request)}) from None
    return PortalUser(principal, token or "", await _unread(request, token or ""))


SignedIn = Annotated[PortalUser, Depends(signed_in)]


def signed_in_as(*roles: Role) -> Callable[[Request], Coroutine[Any, Any, PortalUser]]:
    """A dependency: the signed-in person if they hold one of `roles`, else a 403 page."""

    async def dependency(request: Request) -> PortalUser:
        user = await signed_in(request)
        if not user.has_role(*roles):
            raise PageRefused(user)
        return user

    return dependency


# The unit officers' pages (registrations, reports, complaints, imports): a unit officer, or
# the federation admin acting for a unit.
OFFICERS = frozenset((Role.UNIT_OFFICER, Role.FEDERATION_ADMIN))
Officer = Annotated[PortalUser, Depends(signed_in_as(*OFFICERS))]


def language(request: Request, form: Any = None) -> Language:
    """A form's `_lang` button, else `?lang=`, else the cookie, else Vietnamese."""
    chosen = language_or_none(form.get("_lang")) if form is not None else None
    return (
        chosen
        or language_or_none(request.query_params.get("lang"))
        or language_or_none(request.cookies.get(LANG_COOKIE))
        or DEFAULT_LANGUAGE
    )


def remember_language(request: Request, response: Response, lang: Language) -> None:
    if request.cookies.get(LANG_COOKIE) != lang:
        response.set_cookie(
            LANG_COOKIE, lang, max_age=YEAR_SECONDS, path=PORTAL, samesite="lax", httponly=True
        )


# --- flash messages: shown once, on the page a redirect leads to ---


@dataclass(frozen=True)
class Label:
    """A value of a flash message that reads differently in each language."""

    vi: str
    en: str


Flash = tuple[str, str, dict[str, Any]]
"""A flash message: (kind: success|warning|error, i18n key, values)."""


def set_flash(response: Response, *messages: Flash) -> None:
    """Each message is (kind: success|warning|error, i18n key, values), kept in both
    languages so that the page shows it in whichever is chosen."""

    def words(t: Translator, key: str, values: dict[str, Any]) -> str:
        return t(
            key, **{k: t.pick(v.vi, v.en) if isinstance(v, Label) else v for k, v in values.items()}
        )

    vi, en = Translator("vi"), Translator("en")
    payload = [
        {"kind": kind, "vi": words(vi, key, values), "en": words(en, key, values)}
        for kind, key, values in messages
    ]
    encoded = base64.urlsafe_b64encode(json.dumps(payload).encode()).decode()
    response.set_cookie(FLASH_COOKIE, encoded, path=PORTAL, samesite="lax", httponly=True)


def refusal(response: httpx.Response) -> Label:
    """Why the API refused, in both languages: a flash message's value."""
    error = errors_of(response)[0]
    return Label(error.message_vi, error.message_en)


def _flashes(request: Request) -> list[dict[str, str]]:
    raw = request.cookies.get(FLASH_COOKIE)
    if not raw:
        return []
    try:
        items = json.loads(base64.urlsafe_b64decode(raw.encode()))
        return [
            {"kind": str(i["kind"]), "vi": str(i["vi"]), "en": str(i["en"])}
            for i in items
            if i.get("kind") in ("success", "warning", "error")
        ]
    except (ValueError, TypeError, KeyError, AttributeError):
        return []


def redirect(url: str, *messages: Flash) -> RedirectResponse:
    """After a POST that changed something: see the result with a GET (no resubmission),
    with the flash `messages` shown on it."""
    response = RedirectResponse(url, status_code=303)
    if messages:
        set_flash(response, *messages)
    return response


def _menu(request: Request, user: PortalUser | None) -> Sequence[MenuItem]:
    if user is None:
        return []
    return menu_for(user.principal, request.app.state.menu)


def render(
    request: Request,
    template: str,
    lang: Language,
    *,
    user: PortalUser | None = None,
    status_code: int = 200,
    switch_form: str | None = None,
    **context: Any,
) -> HTMLResponse:
    """A page in `lang`. `switch_form` names the form the language buttons resubmit (with
    `_lang`), so that switching keeps what was typed and the errors shown; without it the
    switch is a plain link."""
    t = Translator(lang)
    flashes = _flashes(request)
    base_query = {k: v for k, v in request.query_params.items() if k != "lang"}
    lang_links = {
        code: request.url.path
        + "?"
        + "&".join(f"{quote(k)}={quote(v)}" for k, v in {**base_query, "lang": code}.items())
        for code in LANGUAGES
    }
    response = TEMPLATES.TemplateResponse(
        request,
        template,
        {
            "t": t,
            "lang": lang,
            "user": user,
            "flashes": flashes,
            "menu": _menu(request, user),
            "dashboard_url": request.app.state.dashboard_url,
            "path": request.url.path,
            "lang_links": lang_links,
            "switch_form": switch_form,
            # Every POST form carries it (csrf.py checks it).
            "csrf": session.csrf_token(request),
            **context,
        },
        status_code=status_code,
    )
    remember_language(request, response, lang)
    if flashes:
        response.delete_cookie(FLASH_COOKIE, path=PORTAL)
    return response


@dataclass(frozen=True)
class FormPage:
    """A page around one form (`form_id`, in `template`): the language buttons resubmit that
    form, so that switching keeps what was typed and the errors shown."""

    template: str
    form_id: str

    def render(
        self,
        request: Request,
        user: PortalUser,
        lang: Language,
        form: Any,
        errors: FormErrors,
        status_code: int = 200,
        **context: Any,
    ) -> HTMLResponse:
        return render(
            request,
            self.template,
            lang,
            user=user,
            status_code=status_code,
            switch_form=self.form_id,
            form=form,
            errors=errors,
            **context,
        )
