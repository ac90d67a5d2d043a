"""Cài đặt thông báo: where the person's email goes, the language of their messages, and a
daily digest instead of one email each. Over notifications' GET/PUT /api/v1/me/contact."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from services.portal.client import api, errors_of
from services.portal.forms import FormErrors
from services.portal.menu import MenuItem
from services.portal.web import PORTAL, FormPage, SignedIn, language, redirect

router = APIRouter(include_in_schema=False)
PAGE = f"{PORTAL}/cai-dat"
MENU = (MenuItem(PAGE, "nav.settings", place="personal"),)
FIELDS = {"email", "language", "daily_digest"}
FORM = FormPage("settings.html", "settings-form")


@router.get(PAGE, response_class=HTMLResponse)
async def settings_page(request: Request, user: SignedIn) -> HTMLResponse:
    async with api(request, user.token, "notifications") as notifications:
        answer = await notifications.get("/api/v1/me/contact")
    contact = answer.json() if answer.status_code == 200 else {}
    form = {
        "email": contact.get("email") or "",
        "language": contact.get("language") or "vi",
        "daily_digest": bool(contact.get("daily_digest")),
    }
    return FORM.render(request, user, language(request), form, FormErrors(fields=FIELDS))


@router.post(PAGE, response_model=None)
async def save_settings(request: Request, user: SignedIn) -> Response:
    data = await request.form()
    lang = language(request, data)
    form = {
        "email": str(data.get("email") or "").strip(),
        "language": str(data.get("language") or ""),
        "daily_digest": data.get("daily_digest") == "on",
    }
    if (shown := FormErrors.on_switch(data, FIELDS)) is not None:
        return FORM.render(request, user, lang, form, shown)
    body = {**form, "email": form["email"] or None}
    async with api(request, user.token, "notifications") as notifications:
        answer = await notifications.put("/api/v1/me/contact", json=body)
    if answer.status_code == 200:
        return redirect(PAGE, ("success", "settings.saved", {}))
    errors = FormErrors.from_api(errors_of(answer), lambda f: f if f in FIELDS else "", FIELDS)
    return FORM.render(request, user, lang, form, errors, answer.status_code)
