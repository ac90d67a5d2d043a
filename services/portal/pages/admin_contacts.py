"""Liên hệ: the people notifications writes to, unit by unit, and for each their email, officer
role, language and daily digest, as an admin sets them. Over notifications' /api/v1/contacts."""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from services.portal import lookups
from services.portal.client import api, errors_of, items_of, list_errors_of
from services.portal.forms import FormErrors, RowRefusal
from services.portal.pages.admin import Admin, render_admin
from services.portal.web import PORTAL, redirect

router = APIRouter(include_in_schema=False)
PAGE = f"{PORTAL}/quan-tri/lien-he"
MENU = ()  # reached from Quản trị
FIELDS = ("email", "is_officer", "language", "daily_digest")


def field_id(person_id: str, name: str) -> str:
    """A row's input id: the person's id kept to what an HTML id and a CSS selector take."""
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in person_id)
    return f"{name}-{safe}"


async def _page(
    request: Request,
    user: Admin,
    unit: str,
    *,
    editing: RowRefusal[dict[str, Any]] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    async with api(request, user.token) as submissions:
        units = await lookups.units_under(submissions, user.unit_code)
    chosen = unit or (units[0]["code"] if units else "")
    async with api(request, user.token, "notifications") as notifications:
        listed = await notifications.get("/api/v1/contacts", params={"unit_code": chosen})
    contacts = items_of(listed)
    contacts.sort(key=lambda c: (not c["is_officer"], c["full_name"]))
    if editing:  # what was typed, in place of what is stored
        contacts = [
            {**c, **editing.typed} if c["person_id"] == editing.row_id else c for c in contacts
        ]
    return render_admin(
        request,
        "admin_contacts.html",
        user,
        status_code=status_code,
        units=units,
        unit=chosen,
        contacts=contacts,
        editing=editing,
        no_errors=FormErrors(),
        field_id=field_id,
        list_errors=list_errors_of(listed),
    )


@router.get(PAGE, response_class=HTMLResponse)
async def contacts_page(request: Request, user: Admin) -> HTMLResponse:
    return await _page(request, user, request.query_params.get("unit", ""))


@router.post(PAGE + "/{person_id}", response_model=None)
async def edit_contact(request: Request, user: Admin, person_id: str) -> Response:
    data = await request.form()
    unit = str(data.get("unit_code") or "")
    email = str(data.get("email") or "").strip()
    body: dict[str, Any] = {
        "full_name": str(data.get("full_name") or ""),
        "unit_code": unit or None,
        "email": email or None,
        "is_officer": data.get("is_officer") == "on",
        "language": str(data.get("language") or "vi"),
        "daily_digest": data.get("daily_digest") == "on",
    }
    async with api(request, user.token, "notifications") as notifications:
        answer = await notifications.put(f"/api/v1/contacts/{person_id}", json=body)
    if answer.status_code == 200:
        return redirect(
            f"{PAGE}?unit={unit}#{field_id(person_id, 'contact')}",
            ("success", "ctc.saved", {"name": body["full_name"]}),
        )
    names = {field_id(person_id, name) for name in FIELDS}

    def to_field(api_field: str) -> str:
        return field_id(person_id, api_field) if api_field in FIELDS else ""

    errors = FormErrors.from_api(errors_of(answer), to_field, names)
    return await _page(
        request,
        user,
        unit,
        editing=RowRefusal(person_id, errors, {**body, "email": email}),
        status_code=answer.status_code,
    )
