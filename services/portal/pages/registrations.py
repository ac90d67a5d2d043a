"""Đăng ký thi đua: a unit registers for movements in the open phase, with its commitments;
the level above approves or returns it. Over /api/v1/registrations."""

from dataclasses import dataclass, field, replace
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from services.portal import lookups
from services.portal.client import ServiceClient, api, errors_of, list_errors_of, page_items_of
from services.portal.forms import FormErrors, RowRefusal
from services.portal.i18n import Language
from services.portal.menu import MenuItem
from services.portal.posted_form import posted_form
from services.portal.web import OFFICERS, PORTAL, FormPage, Officer, PortalUser, language, redirect
from shared.contracts.bounds import PAGE_MAX
from shared.contracts.vocabulary import REGISTRATION_CHANGEABLE, RegistrationStatus

router = APIRouter(include_in_schema=False)
PAGE = f"{PORTAL}/dang-ky"
MENU = (MenuItem(PAGE, "nav.registrations", OFFICERS),)
FORM = FormPage("registrations.html", "registration-form")
# The row buttons, by the last part of their URL: the API's action, the flash message.
ACTIONS = {
    "gui": ("submit", "reg.sent"),
    "duyet": ("approve", "reg.approved"),
    "tra-lai": ("return", "reg.was_returned"),
}


@dataclass
class RegistrationForm:
    phase_code: str = ""
    unit_code: str = ""
    movements: list[str] = field(default_factory=list)
    commitments: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_form(cls, form: FormData) -> "RegistrationForm":
        return cls(
            phase_code=str(form.get("phase_code") or ""),
            unit_code=str(form.get("unit_code") or ""),
            movements=[str(code) for code in form.getlist("movement")],
            commitments={
                key.removeprefix("commitment-"): str(value)
                for key, value in form.multi_items()
                if key.startswith("commitment-") and isinstance(value, str)
            },
        )

    def body(self, campaign_code: str) -> tuple[dict[str, Any], list[str]]:
        """The API's body, and the movement of each commitment sent (to place its errors)."""
        sent = [
            (code, self.commitments[code].strip())
            for code in self.movements
            if self.commitments.get(code, "").strip()
        ]
        body = {
            "campaign_code": campaign_code,
            "phase_code": self.phase_code,
            "unit_code": self.unit_code,
            "movement_codes": self.movements,
            "commitments": [{"movement_code": code, "text": text} for code, text in sent],
        }
        return body, [code for code, _ in sent]


def _form_field(api_field: str, sent: list[str]) -> str:
    parts = api_field.split(".")
    if parts[0] in ("phase_code", "unit_code"):
        return parts[0]
    if parts[0] == "commitments" and len(parts) > 1 and parts[1].isdigit():
        index = int(parts[1])
        return f"commitment-{sent[index]}" if index < len(sent) else "movements"
    if parts[0] in ("movement_codes", "commitments"):
        return "movements"
    return ""


async def _context(client: ServiceClient, user: PortalUser) -> dict[str, Any]:
    context = await lookups.phase_page_context(client, user.unit_code)
    params: dict[str, Any] = {"campaign_code": context["campaign_code"], "limit": PAGE_MAX}
    if not user.is_admin:
        params["under"] = user.unit_code
    listing = await client.get("/api/v1/registrations", params=params)
    movements = lookups.movements(context["campaign"])
    return {
        **context,
        "movements": movements,
        # code -> (Vietnamese, English or ""): the file's names of the movements.
        "movement_names": {m["code"]: (m["name"], m.get("name_en") or "") for m in movements},
        # The form's fields, by which the page puts the API's errors.
        "fields": {"phase_code", "unit_code", "movements"}
        | {f"commitment-{m['code']}" for m in movements},
        "registrations": page_items_of(listing),
        "list_errors": list_errors_of(listing),
    }


def _existing(context: dict[str, Any], form: RegistrationForm) -> dict[str, Any] | None:
    return next(
        (
            r
            for r in context["registrations"]
            if r["phase_code"] == form.phase_code and r["unit_code"] == form.unit_code
        ),
        None,
    )


def _page(
    request: Request,
    user: PortalUser,
    lang: Language,
    context: dict[str, Any],
    form: RegistrationForm,
    errors: FormErrors,
    *,
    status_code: int = 200,
    row: RowRefusal[str] | None = None,
) -> HTMLResponse:
    existing = _existing(context, form)
    return FORM.render(
        request,
        user,
        lang,
        form,
        errors,
        status_code,
        existing=existing,
        locked=existing is not None and existing["status"] not in REGISTRATION_CHANGEABLE,
        row_errors=lambda rid: row.errors if row and row.row_id == rid else FormErrors(),
        row_reason=lambda rid: row.typed if row and row.row_id == rid else "",
        can_submit=lambda r: user.acts_for_units and r["status"] in REGISTRATION_CHANGEABLE,
        can_decide=lambda r: (
            r["status"] == RegistrationStatus.submitted
            and (user.is_admin or (user.acts_for_units and r["unit_code"] != user.unit_code))
        ),
        **context,
    )


@router.get(PAGE, response_class=HTMLResponse)
async def registrations_page(
    request: Request, user: Officer, phase_code: str = "", unit_code: str = ""
) -> HTMLResponse:
    lang = language(request)
    async with api(request, user.token) as client:
        context = await _context(client, user)
    form = RegistrationForm(
        phase_code=phase_code or context["first_open_phase"],
        unit_code=unit_code or user.unit_code,
    )
    existing = _existing(context, form)
    if existing is not None and existing["status"] in REGISTRATION_CHANGEABLE:
        form.movements = list(existing["movement_codes"])
        form.commitments = {c["movement_code"]: c["text"] for c in existing["commitments"]}
    return _page(request, user, lang, context, form, FormErrors(fields=context["fields"]))


@router.post(PAGE, response_model=None)
async def save_registration(request: Request, user: Officer) -> Response:
    form_data, lang, form = await posted_form(request, RegistrationForm.from_form)
    async with api(request, user.token) as client:
        context = await _context(client, user)
        fields = context["fields"]
        if (shown := FormErrors.on_switch(form_data, fields)) is not None:
            return _page(request, user, lang, context, form, shown)
        body, sent = form.body(context["campaign_code"])
        response = await client.post("/api/v1/registrations", json=body)
        submit = form_data.get("_action") == "submit"
        if response.status_code == 201 and submit:
            registration = response.json()
            submitted = await client.post(f"/api/v1/registrations/{registration['id']}/submit")
            if submitted.status_code != 200:
                errors = FormErrors.from_api(errors_of(submitted), lambda _: "", fields)
                errors.add_words("", "reg.saved_not_sent")
                context = await _context(client, user)
                return _page(
                    request, user, lang, context, form, errors, status_code=submitted.status_code
                )
        if response.status_code != 201:
            errors = FormErrors.from_api(
                errors_of(response), lambda f: _form_field(f, sent), fields
            )
            return _page(
                request, user, lang, context, form, errors, status_code=response.status_code
            )
    return redirect(
        f"{PAGE}?phase_code={form.phase_code}&unit_code={form.unit_code}",
        ("success", "reg.sent" if submit else "reg.saved", {"unit": form.unit_code}),
    )


@router.post(PAGE + "/{registration_id}/{action}", response_model=None)
async def registration_action(
    request: Request, user: Officer, registration_id: str, action: str
) -> Response:
    if action not in ACTIONS:
        raise HTTPException(404)
    api_action, done_key = ACTIONS[action]
    form_data = await request.form()
    lang = language(request, form_data)
    reason = str(form_data.get("reason") or "")
    async with api(request, user.token) as client:
        response = await client.post(
            f"/api/v1/registrations/{registration_id}/{api_action}",
            json={"reason": reason} if api_action == "return" else None,
        )
        if response.status_code != 200:
            reason_field = f"reason-{registration_id}"
            errors = FormErrors.from_api(
                errors_of(response),
                lambda f: reason_field if f == "reason" else "",
                {reason_field},
            )
            context = await _context(client, user)
            form = RegistrationForm(context["first_open_phase"], user.unit_code)
            page_errors = FormErrors(fields=context["fields"])
            if all(r["id"] != registration_id for r in context["registrations"]):
                # Not a row of the list (an unknown id): say it above the form.
                page_errors.items = [replace(item, field="") for item in errors.items]
            return _page(
                request,
                user,
                lang,
                context,
                form,
                page_errors,
                status_code=response.status_code,
                row=RowRefusal(registration_id, errors, reason),
            )
    registration = response.json()
    return redirect(PAGE, ("success", done_key, {"unit": registration["unit_code"]}))
