"""Đơn thư khiếu nại, tố cáo: the cases of the officer's unit and below, the overdue ones
first and marked; record a case received (its due date by the campaign's rule unless given)
and resolve one. Target 5 reads these dates. Over submissions' /api/v1/complaints."""

import uuid
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from services.portal import lookups
from services.portal.client import api, errors_of, items_of, list_errors_of
from services.portal.forms import FormErrors, RowRefusal, idempotency_key, parse_date_vn
from services.portal.i18n import Language
from services.portal.menu import MenuItem
from services.portal.web import (
    OFFICERS,
    PORTAL,
    Officer,
    PortalUser,
    language,
    redirect,
    render,
    vn_date,
)

# A case's fields as the API names them, and those of them typed as dd/mm/yyyy.
FIELDS = {"unit_code", "summary", "received_on", "due_on"}
DATES = ("received_on", "due_on")

router = APIRouter(include_in_schema=False)
PAGE = f"{PORTAL}/khieu-nai"
MENU = (MenuItem(PAGE, "nav.complaints", OFFICERS),)


def _order(case: dict[str, Any]) -> tuple[int, int, str]:
    # Overdue first, then open by due date, then resolved; each group by due date.
    state = 0 if case["overdue"] else (2 if case["resolved_on"] else 1)
    return (state, lookups.iso_date(case["due_on"]).toordinal(), case["unit_code"])


def _typed_dates(form: dict[str, str]) -> tuple[dict[str, Any], list[str]]:
    """The dates as the API takes them; those that are not dates, sent as typed (refused)."""
    body: dict[str, Any] = {}
    unreadable = []
    for name in DATES:
        text = form.get(name, "").strip()
        if not text:
            continue
        day = parse_date_vn(text)
        body[name] = day.isoformat() if day else text
        if day is None:
            unreadable.append(name)
    return body, unreadable


async def _page(
    request: Request,
    user: PortalUser,
    lang: Language,
    *,
    form: dict[str, str] | None = None,
    errors: FormErrors | None = None,
    resolving: RowRefusal[str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    async with api(request, user.token) as client:
        listed = await client.get("/api/v1/complaints", params={"unit_code": user.unit_code})
        units = await lookups.units_under(client, user.unit_code)
    cases = sorted(items_of(listed), key=_order)
    return render(
        request,
        "complaints.html",
        lang,
        user=user,
        status_code=status_code,
        cases=cases,
        overdue=sum(1 for c in cases if c["overdue"]),
        units=units,
        unit_names=lookups.unit_names(units),
        form=form or {"unit_code": user.unit_code, "key": str(uuid.uuid4())},
        errors=errors or FormErrors(fields=FIELDS),
        resolving=resolving,
        list_errors=list_errors_of(listed),
    )


@router.get(PAGE, response_class=HTMLResponse)
async def complaints_page(request: Request, user: Officer) -> HTMLResponse:
    return await _page(request, user, language(request))


def _form(data: FormData) -> dict[str, str]:
    return {**{name: str(data.get(name) or "") for name in FIELDS}, "key": idempotency_key(data)}


@router.post(PAGE, response_model=None)
async def record_case(request: Request, user: Officer) -> Response:
    data = await request.form()
    lang = language(request, data)
    form = _form(data)
    dates, unreadable = _typed_dates(form)
    body = {
        "campaign_code": lookups.campaign_code(),
        "unit_code": form["unit_code"],
        "summary": form["summary"].strip(),
        **dates,
    }
    async with api(request, user.token) as client:
        answer = await client.post(
            "/api/v1/complaints", json=body, headers={"Idempotency-Key": form["key"]}
        )
    if answer.status_code == 201:
        case = answer.json()
        due = vn_date(case["due_on"])
        return redirect(
            f"{PAGE}#case-{case['id']}",
            ("success", "cmp.recorded", {"unit": case["unit_code"], "due": due}),
        )
    errors = FormErrors.from_api(errors_of(answer), lambda f: f if f in FIELDS else "", FIELDS)
    for name in unreadable:
        errors.reword(name, "input.date_invalid")
    return await _page(
        request, user, lang, form=form, errors=errors, status_code=answer.status_code
    )


@router.post(PAGE + "/{case_id:uuid}/giai-quyet", response_model=None)
async def resolve_case(request: Request, user: Officer, case_id: UUID) -> Response:
    data = await request.form()
    lang = language(request, data)
    typed = str(data.get("resolved_on") or "").strip()
    day = parse_date_vn(typed) if typed else None
    async with api(request, user.token) as client:
        answer = await client.post(
            f"/api/v1/complaints/{case_id}/resolve",
            json={"resolved_on": day.isoformat() if day else (typed or None)},
        )
    if answer.status_code == 200:
        return redirect(
            f"{PAGE}#case-{case_id}",
            ("success", "cmp.resolved", {"unit": answer.json()["unit_code"]}),
        )
    field = f"resolved_on-{case_id}"
    errors = FormErrors.on_field(errors_of(answer), field)
    if typed and day is None:
        errors.reword(field, "input.date_invalid")
    return await _page(
        request,
        user,
        lang,
        resolving=RowRefusal(str(case_id), errors, typed),
        status_code=answer.status_code,
    )
