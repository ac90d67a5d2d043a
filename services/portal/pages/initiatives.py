"""Nộp sáng kiến and the list of initiatives. Over POST and GET /api/v1/initiatives."""

import dataclasses
import re
import uuid
from dataclasses import dataclass, field
from typing import Annotated, Any
from urllib.parse import urlencode

import httpx
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from services.portal import lookups
from services.portal.client import api, errors_of
from services.portal.forms import (
    FormErrors,
    idempotency_key,
    parse_date_vn,
    parse_int,
    parse_vnd,
)
from services.portal.i18n import Language
from services.portal.menu import MenuItem
from services.portal.posted_form import posted_form
from services.portal.web import (
    PORTAL,
    FormPage,
    PortalUser,
    SignedIn,
    language,
    redirect,
    render,
    signed_in_as,
)
from shared.auth import Role
from shared.contracts.bounds import AUTHORS_MAX
from shared.contracts.initiative_parts import INITIATIVE_PARTS

router = APIRouter(include_in_schema=False)
NEW = f"{PORTAL}/sang-kien/moi"
LIST = f"{PORTAL}/sang-kien"
# Who submits: a member (as an author), an officer on members' behalf, an admin.
SUBMITTERS = frozenset((Role.MEMBER, Role.UNIT_OFFICER, Role.FEDERATION_ADMIN))
# A member's list holds their own initiatives only (the API's rule): named so.
MENU = (
    MenuItem(NEW, "nav.initiative_new", SUBMITTERS),
    MenuItem(LIST, "nav.my_initiatives", frozenset({Role.MEMBER})),
    MenuItem(LIST, "nav.initiatives", frozenset(Role) - {Role.MEMBER}),
)
Submitter = Annotated[PortalUser, Depends(signed_in_as(*SUBMITTERS))]
FORM = FormPage("initiative_form.html", "initiative-form")
PAGE_SIZE = 20
MIN_AUTHOR_ROWS = 3
# The parts the form marks required: those the API requires (the authors' rows say it too).
REQUIRED = frozenset(part.name for part in INITIATIVE_PARTS if part.required)
# The form's one-line and multi-line inputs (the flag and the authors have inputs of their own).
TEXTS = tuple(
    part.name
    for part in INITIATIVE_PARTS
    if part.in_form and part.name not in ("confidential", "authors")
)


@dataclass
class AuthorRow:
    """An author's row as typed: the parts of the API's author (InitiativeAuthor), as text."""

    member_id: str = ""
    full_name: str = ""
    share_percent: str = ""

    def is_blank(self) -> bool:
        return not (self.member_id.strip() or self.full_name.strip() or self.share_percent.strip())


AUTHOR_PARTS = tuple(part.name for part in dataclasses.fields(AuthorRow))
# A row number has at most AUTHORS_MAX's digits: int() of a longer one is work (or, past 4300
# digits, a ValueError) that a typed form never asks for.
_AUTHOR_INPUT = re.compile(
    rf"^authors-(\d{{1,{len(str(AUTHORS_MAX))}}})-({'|'.join(AUTHOR_PARTS)})$"
)


@dataclass
class InitiativeForm:
    """The form as typed; `key` is its Idempotency-Key, made when the form is first shown."""

    values: dict[str, str] = field(default_factory=dict)
    authors: list[AuthorRow] = field(default_factory=list)
    confidential: bool = False
    key: str = field(default_factory=lambda: str(uuid.uuid4()))

    @classmethod
    def blank(cls, user: PortalUser) -> "InitiativeForm":
        form = cls(values={"unit_code": user.unit_code})
        if user.principal.has_role(Role.MEMBER):  # a member submits as an author
            form.authors.append(AuthorRow(user.principal.subject, user.principal.name, "100"))
        return form.padded()

    @classmethod
    def from_form(cls, data: FormData) -> "InitiativeForm":
        rows: dict[int, AuthorRow] = {}
        for name, value in data.multi_items():
            match = _AUTHOR_INPUT.match(name)
            if match and isinstance(value, str) and int(match[1]) < AUTHORS_MAX:
                setattr(rows.setdefault(int(match[1]), AuthorRow()), match[2], value)
        return cls(
            values={name: str(data.get(name) or "") for name in TEXTS},
            authors=[rows.get(i, AuthorRow()) for i in range(max(rows, default=-1) + 1)],
            confidential=data.get("confidential") == "on",
            key=idempotency_key(data, "idempotency_key"),
        )

    def fields(self) -> set[str]:
        """The inputs the form shows (an error on another field is listed above it)."""
        return {
            *TEXTS,
            "authors",
            "confidential",
            *(f"authors-{row}-{part}" for row in range(len(self.authors)) for part in AUTHOR_PARTS),
        }

    def padded(self) -> "InitiativeForm":
        while len(self.authors) < MIN_AUTHOR_ROWS:
            self.authors.append(AuthorRow())
        return self

    def to_api(self, campaign_code: str) -> tuple[dict[str, Any], list[int], dict[str, str]]:
        """The API's body; the form row of each author sent; the inputs that could not be
        converted (sent as typed, so the API refuses them), with the portal's wording."""
        v = {name: value.strip() for name, value in self.values.items()}
        unconverted: dict[str, str] = {}
        body: dict[str, Any] = {
            "campaign_code": campaign_code,
            "title": v["title"],
            "problem": v["problem"],
            "solution": v["solution"],
            "novelty": v["novelty"] or None,
            "other_benefits": v["other_benefits"] or None,
            "confidential": self.confidential,
        }
        for name in ("unit_code", "field"):  # a choice not made is missing, not empty
            if v[name]:
                body[name] = v[name]
        day = parse_date_vn(v["first_applied_on"]) if v["first_applied_on"] else None
        body["first_applied_on"] = day.isoformat() if day else (v["first_applied_on"] or None)
        if v["first_applied_on"] and day is None:
            unconverted["first_applied_on"] = "input.date_invalid"
        for name in ("expected_benefit_vnd", "measured_benefit_vnd"):
            amount = parse_vnd(v[name]) if v[name] else None
            body[name] = amount if amount is not None else (v[name] or None)
            if v[name] and amount is None:
                unconverted[name] = "input.vnd_invalid"
        authors, rows = [], []
        for row, author in enumerate(self.authors):
            if author.is_blank():
                continue
            share = parse_int(author.share_percent)
            if share is None:
                unconverted[f"authors-{row}-share_percent"] = "input.share_invalid"
            authors.append(
                {
                    "member_id": author.member_id.strip(),
                    "full_name": author.full_name.strip(),
                    "share_percent": share if share is not None else author.share_percent.strip(),
                }
            )
            rows.append(row)
        body["authors"] = authors
        return body, rows, unconverted


def form_errors(
    response: httpx.Response, form: InitiativeForm, rows: list[int], unconverted: dict[str, str]
) -> FormErrors:
    """The API's refusal of the form's body, each error by the input it is about."""
    errors = FormErrors.from_api(
        errors_of(response), lambda f: _form_field(f, rows), form.padded().fields()
    )
    for name, key in unconverted.items():
        errors.reword(name, key)
    return errors


def _form_field(api_field: str, rows: list[int]) -> str:
    parts = api_field.split(".")
    if parts[0] == "authors":
        if len(parts) == 3 and parts[1].isdigit() and int(parts[1]) < len(rows):
            return f"authors-{rows[int(parts[1])]}-{parts[2]}"
        return "authors"
    return parts[0] if parts[0] in (*TEXTS, "confidential") else ""


def shown_again(data: FormData, form: InitiativeForm) -> FormErrors | None:
    """The errors to show the same form again with, when nothing is to be sent: the language
    switched, or an author row added (to `form`); None when the form is to be sent."""
    if not (data.get("_lang") or data.get("_action") == "add_author"):
        return None
    if data.get("_action") == "add_author" and len(form.authors) < AUTHORS_MAX:
        form.authors.append(AuthorRow())
    return FormErrors.from_json(data.get("_errors"), form.padded().fields())


async def form_page(
    request: Request,
    user: PortalUser,
    lang: Language,
    form: InitiativeForm,
    errors: FormErrors,
    status_code: int = 200,
    *,
    amending: dict[str, Any] | None = None,
) -> HTMLResponse:
    """The initiative form: a new one, for one of the units under the person's, or with
    `amending` (the initiative as the API gave it) a change to it, whose unit stays
    (pages/initiative.py)."""
    units: list[dict[str, Any]] = []
    if amending is None:
        async with api(request, user.token) as client:
            units = await lookups.units_under(client, user.unit_code)
    return FORM.render(
        request,
        user,
        lang,
        form.padded(),
        errors,
        status_code,
        units=units,
        amending=amending,
        author_parts=AUTHOR_PARTS,
        required=REQUIRED,
    )


@router.get(NEW, response_class=HTMLResponse)
async def new_initiative(request: Request, user: Submitter) -> HTMLResponse:
    form = InitiativeForm.blank(user)
    return await form_page(request, user, language(request), form, FormErrors(fields=form.fields()))


@router.post(NEW, response_model=None)
async def submit_initiative(request: Request, user: Submitter) -> Response:
    data, lang, form = await posted_form(request, InitiativeForm.from_form)
    if (errors := shown_again(data, form)) is not None:
        return await form_page(request, user, lang, form, errors)
    body, rows, unconverted = form.to_api(lookups.campaign_code())
    async with api(request, user.token) as client:
        # The key made with the form: a second click, or a resend, gets the first answer.
        response = await client.post(
            "/api/v1/initiatives", json=body, headers={"Idempotency-Key": form.key}
        )
    if response.status_code == 201:
        return redirect(LIST, ("success", "ini.created", {"title": response.json()["title"]}))
    errors = form_errors(response, form, rows, unconverted)
    return await form_page(request, user, lang, form, errors, response.status_code)


@router.get(LIST, response_class=HTMLResponse)
async def list_initiatives(
    request: Request, user: SignedIn, unit: str = "", status: str = "", page: str = "1"
) -> HTMLResponse:
    lang = language(request)
    number = max(1, int(page)) if page.isdigit() else 1
    params: dict[str, Any] = {"limit": PAGE_SIZE, "offset": (number - 1) * PAGE_SIZE}
    if unit:
        params["unit_code"] = unit
    if status:
        params["status"] = status
    async with api(request, user.token) as client:
        response = await client.get("/api/v1/initiatives", params=params)
        units = await lookups.units_under(client, user.unit_code)
    listing = response.json() if response.status_code == 200 else None
    total = listing["total"] if listing else 0
    pages = max(1, -(-total // PAGE_SIZE))

    def page_link(target: int) -> str:
        query = {k: v for k, v in (("unit", unit), ("status", status)) if v}
        return f"{LIST}?{urlencode({**query, 'page': target})}"

    only_mine = user.roles == [Role.MEMBER.value]
    return render(
        request,
        "initiatives.html",
        lang,
        user=user,
        heading="nav.my_initiatives" if only_mine else "nav.initiatives",
        items=listing["items"] if listing else [],
        total=total,
        page=number,
        pages=pages,
        page_link=page_link,
        unit=unit,
        status=status,
        units=units,
        unit_names=lookups.unit_names(units),
        list_errors=[] if listing else errors_of(response),
    )
