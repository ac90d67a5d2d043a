"""Phân công hội đồng: one of the federation admin's pages (pages/admin.py SECTIONS). The
initiatives under review (by default those no council sits on yet; by unit and field), several
chosen at once; the reviewers chosen from the federation's contacts or typed as ids, and the
council's size; the balanced assignment's result (who sits on which council) or its refusals
(too few reviewers, an author among them) in the person's language. Also: return an initiative
to its authors, with the reason.

Over scoring's GET /api/v1/reviews/pending (an admin's: every open review), POST
/reviews/assign and POST /reviews/{id}/return; notifications' contacts; submissions' units and
campaign (the council's minimum size).
"""

import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from services.portal import lookups
from services.portal.client import api, errors_of, items_of, list_errors_of
from services.portal.forms import FormErrors, RowRefusal, parse_int
from services.portal.i18n import Language
from services.portal.menu import MenuItem
from services.portal.pages.admin import SECTIONS, Admin
from services.portal.pages.council import scoring_rule
from services.portal.web import PORTAL, PortalUser, language, redirect, render
from shared.contracts.bounds import PAGE_MAX

router = APIRouter(include_in_schema=False)
PAGE = f"{PORTAL}/quan-tri/hoi-dong"
MENU: tuple[MenuItem, ...] = ()  # one of the admin's pages (pages/admin.py SECTIONS)
STATES = ("unassigned", "assigned", "all")
FIELDS = {"initiative_ids", "reviewer_ids", "per_initiative"}
_SEPARATORS = re.compile(r"[\s,;]+")


def reviewer_ids(chosen: Iterable[str], typed: str) -> list[str]:
    """The pool: the contacts ticked, then the ids typed (separated by commas, semicolons,
    spaces or lines), each once, in that order (the order breaks the assignment's ties)."""
    pool: list[str] = []
    for person in [*chosen, *_SEPARATORS.split(typed)]:
        person = person.strip()
        if person and person not in pool:
            pool.append(person)
    return pool


def form_field(api_field: str) -> str:
    """The form field an API error names: reviewer_ids.2 -> reviewer_ids."""
    head = api_field.split(".", 1)[0]
    if head in ("initiative_ids", "initiative_id", "status"):
        return "initiative_ids"
    return head if head in FIELDS else ""


def shown(
    reviews: list[dict[str, Any]], state: str, units: set[str] | None, field: str
) -> list[dict[str, Any]]:
    """The open reviews the filters keep: no council yet (unassigned), a council (assigned) or
    both; of the units given (None: every unit); of the field ('' every field)."""
    return [
        r
        for r in reviews
        if (state == "all" or (state == "assigned") == bool(r["council"]))
        and (units is None or r["unit_code"] in units)
        and (not field or r["field"] == field)
    ]


def _filters(values: Mapping[str, Any]) -> dict[str, str]:
    """The list's filters, from the query or a form's hidden copies of it."""
    state = str(values.get("state") or "unassigned")
    return {
        "state": state if state in STATES else "unassigned",
        "unit_code": str(values.get("unit_code") or ""),
        "field": str(values.get("field") or ""),
    }


async def _page(
    request: Request,
    user: PortalUser,
    lang: Language,
    *,
    filters: dict[str, str],
    form: dict[str, Any] | None = None,
    errors: FormErrors | None = None,
    assigned: list[dict[str, Any]] | None = None,
    returning: RowRefusal[str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    async with api(request, user.token, "scoring") as scoring:
        listed = await scoring.get("/api/v1/reviews/pending", params={"limit": PAGE_MAX})
    async with api(request, user.token) as submissions:
        units = await lookups.units_under(submissions, user.unit_code)
        subtree = (
            {u["code"] for u in await lookups.units_under(submissions, filters["unit_code"])}
            if filters["unit_code"]
            else None
        )
        campaign = await lookups.get_campaign(submissions, lookups.campaign_code())
    async with api(request, user.token, "notifications") as notifications:
        contacts_answer = await notifications.get("/api/v1/contacts")
    contacts = items_of(contacts_answer)
    names = {c["person_id"]: c["full_name"] for c in contacts}
    # The federation's own people who are not its officers: those a council is drawn from.
    candidates = sorted(
        (c for c in contacts if c.get("unit_code") == user.unit_code and not c["is_officer"]),
        key=lambda c: c["person_id"],
    )
    rule = scoring_rule(campaign)
    return render(
        request,
        "assignment.html",
        lang,
        user=user,
        admin_sections=SECTIONS,
        status_code=status_code,
        reviews=shown(items_of(listed), filters["state"], subtree, filters["field"]),
        filters=filters,
        states=STATES,
        units=units,
        names=names,
        candidates=candidates,
        form=form
        or {"chosen": [], "typed": "", "per_initiative": str(rule.min_members if rule else 3)},
        errors=errors or FormErrors(fields=FIELDS),
        assigned=assigned,
        returning=returning,
        list_errors=list_errors_of(listed),
    )


@router.get(PAGE, response_class=HTMLResponse)
async def assignment_page(request: Request, user: Admin) -> HTMLResponse:
    return await _page(request, user, language(request), filters=_filters(request.query_params))


@router.post(PAGE, response_model=None)
async def assign(request: Request, user: Admin) -> Response:
    data = await request.form()
    lang = language(request, data)
    chosen = [str(v) for v in data.getlist("reviewer") if isinstance(v, str)]
    typed = str(data.get("typed_reviewers") or "")
    size_text = str(data.get("per_initiative") or "").strip()
    size = parse_int(size_text)
    body = {
        "initiative_ids": [str(v) for v in data.getlist("initiative_ids") if isinstance(v, str)],
        "reviewer_ids": reviewer_ids(chosen, typed),
        "per_initiative": size if size is not None else size_text,
    }
    filters = _filters(data)
    async with api(request, user.token, "scoring") as scoring:
        answer = await scoring.post("/api/v1/reviews/assign", json=body)
    form = {"chosen": chosen, "typed": typed, "per_initiative": size_text}
    if answer.status_code == 200:
        return await _page(request, user, lang, filters=filters, form=form, assigned=answer.json())
    errors = FormErrors.from_api(errors_of(answer), form_field, FIELDS)
    if size is None and size_text:
        errors.reword("per_initiative", "input.number_invalid")
    return await _page(
        request,
        user,
        lang,
        filters=filters,
        form={**form, "selected": body["initiative_ids"]},
        errors=errors,
        status_code=answer.status_code,
    )


@router.post(PAGE + "/{initiative_id:uuid}/tra-lai", response_model=None)
async def return_to_authors(request: Request, user: Admin, initiative_id: UUID) -> Response:
    data = await request.form()
    lang = language(request, data)
    reason = str(data.get("reason") or "").strip()
    async with api(request, user.token, "scoring") as scoring:
        answer = await scoring.post(
            f"/api/v1/reviews/{initiative_id}/return", json={"reason": reason}
        )
    if answer.status_code == 200:
        filters = {k: v for k, v in _filters(data).items() if v}
        return redirect(
            f"{PAGE}?{urlencode(filters)}",
            ("success", "assign.returned", {"title": answer.json()["title"]}),
        )
    field = f"reason-{initiative_id}"
    errors = FormErrors.on_field(errors_of(answer), field)
    return await _page(
        request,
        user,
        lang,
        filters=_filters(data),
        returning=RowRefusal(str(initiative_id), errors, reason),
        status_code=answer.status_code,
    )
