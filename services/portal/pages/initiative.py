"""One initiative: its state as submissions reports it (the one life every service folds the
same way), its content and attachments; while no council sits on it, amend it, withdraw it,
attach files. For its authors and whoever submitted it, and for the officers over its unit
acting on their behalf (the API decides; the page offers only what it would allow).

Over GET/PATCH /api/v1/initiatives/{id}, POST …/withdraw, GET/POST …/attachments.
"""

import hashlib
import json
import uuid
from typing import Any
from uuid import UUID

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.datastructures import UploadFile

from services.portal.client import api, errors_of, items_of
from services.portal.forms import FormErrors, idempotency_key
from services.portal.i18n import Language
from services.portal.pages.initiatives import (
    AuthorRow,
    InitiativeForm,
    form_errors,
    form_page,
    shown_again,
)
from services.portal.posted_form import posted_form
from services.portal.web import (
    PORTAL,
    PortalUser,
    SignedIn,
    language,
    redirect,
    render,
    vn_date,
    vnd_input,
)
from shared.contracts.bounds import ATTACHMENT_KINDS
from shared.contracts.lifecycle import CHANGEABLE, FINAL, VERDICTS, InitiativeStatus

router = APIRouter(include_in_schema=False)
PAGE = f"{PORTAL}/sang-kien/{{initiative_id:uuid}}"
MENU = ()  # reached from the list of initiatives


# What an attachment may be, as the hint lists it: the kinds submissions accepts.
ATTACHMENT_TYPES = ", ".join(
    suffix.removeprefix(".").upper()
    for suffixes in ATTACHMENT_KINDS.values()
    for suffix in suffixes
)


def link(initiative_id: object) -> str:
    return f"{PORTAL}/sang-kien/{initiative_id}"


def may_change(user: PortalUser, initiative: dict[str, Any]) -> bool:
    """What the API would allow: no council sits on it, and the person is an author, its
    submitter, or acts for units (the API checks that the unit is theirs)."""
    if initiative["status"] not in CHANGEABLE:
        return False
    authors = {a["member_id"] for a in initiative["authors"]}
    me = user.principal.subject
    return me in authors or initiative["submitted_by"] == me or user.acts_for_units


async def _initiative(request: Request, user: PortalUser, initiative_id: UUID) -> dict[str, Any]:
    async with api(request, user.token) as client:
        response = await client.get(f"/api/v1/initiatives/{initiative_id}")
    if response.status_code in (403, 404):
        raise HTTPException(404)
    response.raise_for_status()
    found: dict[str, Any] = response.json()
    return found


async def _page(
    request: Request,
    user: PortalUser,
    lang: Language,
    initiative: dict[str, Any],
    *,
    errors: FormErrors | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    attachments: list[dict[str, Any]] = []
    async with api(request, user.token) as client:
        # The unit by its name, as its people call it (the code alone reads as a cipher).
        unit = await client.get(f"/api/v1/units/{initiative['unit_code']}")
        if not initiative.get("content_withheld"):
            listed = await client.get(f"/api/v1/initiatives/{initiative['id']}/attachments")
            attachments = items_of(listed)
    return render(
        request,
        "initiative.html",
        lang,
        user=user,
        status_code=status_code,
        i=initiative,
        unit_name=unit.json()["name"] if unit.status_code == 200 else None,
        attachments=attachments,
        changeable=may_change(user, initiative),
        final=initiative["status"] in FINAL,
        # Why it cannot be changed, said only when that is the reason (not to a reviewer
        # reading one that waits for its council).
        council_sits=initiative["status"] not in CHANGEABLE | FINAL,
        # The day the council decided, while its decision stands (the next round has none yet).
        decided=initiative["status"] in VERDICTS | {InitiativeStatus.returned},
        version=state_version(initiative),
        errors=errors or FormErrors(fields={"file", "description", "confirm"}),
        attach_key=str(uuid.uuid4()),
        attach_types=ATTACHMENT_TYPES,
    )


@router.get(PAGE, response_class=HTMLResponse)
async def initiative_page(request: Request, user: SignedIn, initiative_id: UUID) -> HTMLResponse:
    initiative = await _initiative(request, user, initiative_id)
    return await _page(request, user, language(request), initiative)


def state_version(initiative: dict[str, Any]) -> str:
    """What changes whenever its state or content does: the page compares it to follow."""
    return f"{initiative['status']}:{initiative['round']}:{initiative['updated_at']}"


@router.get(PAGE + "/phien-ban")
async def initiative_version(request: Request, user: SignedIn, initiative_id: UUID) -> JSONResponse:
    """The state's version, which the page's script polls (static/live.js): when it moves on
    (a council seated, a decision, a return), the page is read again, or the person is told
    so if they are typing into one of its forms."""
    initiative = await _initiative(request, user, initiative_id)
    return JSONResponse(
        {"version": state_version(initiative), "final": initiative["status"] in FINAL},
        headers={"Cache-Control": "no-store"},
    )


def _amend_form(initiative: dict[str, Any]) -> InitiativeForm:
    first = initiative.get("first_applied_on")
    values = {
        "title": initiative["title"],
        "unit_code": initiative["unit_code"],
        "field": initiative["field"],
        "problem": initiative.get("problem") or "",
        "solution": initiative.get("solution") or "",
        "novelty": initiative.get("novelty") or "",
        "first_applied_on": vn_date(first) if first else "",
        "expected_benefit_vnd": vnd_input(initiative.get("expected_benefit_vnd")),
        "measured_benefit_vnd": vnd_input(initiative.get("measured_benefit_vnd")),
        "other_benefits": initiative.get("other_benefits") or "",
    }
    authors = [
        AuthorRow(a["member_id"], a["full_name"], str(a["share_percent"]))
        for a in initiative["authors"]
    ]
    return InitiativeForm(values, authors, bool(initiative["confidential"])).padded()


@router.get(PAGE + "/sua", response_class=HTMLResponse)
async def amend_page(request: Request, user: SignedIn, initiative_id: UUID) -> Response:
    initiative = await _initiative(request, user, initiative_id)
    if not may_change(user, initiative):
        return redirect(link(initiative_id))
    form = _amend_form(initiative)
    errors = FormErrors(fields=form.fields())
    return await form_page(request, user, language(request), form, errors, amending=initiative)


def _amendment_key(form_key: str, initiative: dict[str, Any], changes: dict[str, Any]) -> str:
    """The form's key, the version it amends and what it sends: two clicks at once amend once,
    while the same form sent again (after Back, say) with other changes, or with the first
    changes after another amendment, is an amendment of its own, not the first one's key
    reused (refused, 422) or replayed (the change lost while the page says it was made)."""
    sent = json.dumps([state_version(initiative), changes], sort_keys=True, ensure_ascii=False)
    return f"{form_key}:{hashlib.sha256(sent.encode()).hexdigest()}"


@router.post(PAGE + "/sua", response_model=None)
async def amend(request: Request, user: SignedIn, initiative_id: UUID) -> Response:
    data, lang, form = await posted_form(request, InitiativeForm.from_form)
    initiative = await _initiative(request, user, initiative_id)
    if (errors := shown_again(data, form)) is not None:
        return await form_page(request, user, lang, form, errors, amending=initiative)
    body, rows, unconverted = form.to_api(initiative["campaign_code"])
    async with api(request, user.token) as client:
        # Campaign, unit and confidentiality are not amended (the API refuses them, as fields
        # an amendment does not take): the rest replaces.
        kept = ("campaign_code", "unit_code", "confidential")
        changes = {k: v for k, v in body.items() if k not in kept}
        response = await client.patch(
            f"/api/v1/initiatives/{initiative_id}",
            json=changes,
            headers={"Idempotency-Key": _amendment_key(form.key, initiative, changes)},
        )
    if response.status_code == 200:
        return redirect(
            link(initiative_id), ("success", "ini.amended", {"title": response.json()["title"]})
        )
    errors = form_errors(response, form, rows, unconverted)
    return await form_page(
        request, user, lang, form, errors, response.status_code, amending=initiative
    )


@router.post(PAGE + "/rut", response_model=None)
async def withdraw(request: Request, user: SignedIn, initiative_id: UUID) -> Response:
    data = await request.form()
    lang = language(request, data)
    if data.get("confirm") != "yes":
        initiative = await _initiative(request, user, initiative_id)
        errors = FormErrors(fields={"file", "description", "confirm"})
        errors.add_words("confirm", "ini.withdraw_confirm_needed")
        return await _page(request, user, lang, initiative, errors=errors, status_code=422)
    async with api(request, user.token) as client:
        response = await client.post(f"/api/v1/initiatives/{initiative_id}/withdraw")
    if response.status_code == 200:
        return redirect(
            link(initiative_id), ("success", "ini.withdrawn", {"title": response.json()["title"]})
        )
    initiative = await _initiative(request, user, initiative_id)
    errors = FormErrors.from_api(errors_of(response), lambda _: "", set())
    # The API's own status: 403 (not theirs to withdraw) is not 409 (no longer withdrawable).
    return await _page(
        request, user, lang, initiative, errors=errors, status_code=response.status_code
    )


@router.post(PAGE + "/tep", response_model=None)
async def attach(request: Request, user: SignedIn, initiative_id: UUID) -> Response:
    data = await request.form()
    lang = language(request, data)
    upload = data.get("file")
    files = {}
    if isinstance(upload, UploadFile) and upload.filename:
        content_type = upload.content_type or "application/octet-stream"
        files["file"] = (upload.filename, await upload.read(), content_type)
    description = str(data.get("description") or "").strip()
    key = idempotency_key(data, "idempotency_key")
    async with api(request, user.token) as client:
        response = await client.post(
            f"/api/v1/initiatives/{initiative_id}/attachments",
            files=files or None,
            data={"description": description} if description else None,
            headers={"Idempotency-Key": key},
        )
    if response.status_code == 201:
        return redirect(
            link(initiative_id) + "#attachments",
            ("success", "ini.attached", {"file": response.json()["filename"]}),
        )
    initiative = await _initiative(request, user, initiative_id)
    errors = FormErrors.from_api(
        errors_of(response),
        lambda f: f if f in ("file", "description") else "",
        {"file", "description", "confirm"},
    )
    return await _page(
        request, user, lang, initiative, errors=errors, status_code=response.status_code
    )


@router.get(PAGE + "/tep/{attachment_id}")
async def download(
    request: Request, user: SignedIn, initiative_id: UUID, attachment_id: UUID
) -> Response:
    """The file, fetched as the person (the API decides who may read it) and handed on."""
    async with api(request, user.token) as client:
        answer = await client.get(
            f"/api/v1/initiatives/{initiative_id}/attachments/{attachment_id}"
        )
    if answer.status_code != 200:
        raise HTTPException(404 if answer.status_code in (403, 404) else answer.status_code)
    return Response(
        answer.content,
        media_type=answer.headers.get("content-type", "application/octet-stream"),
        headers={
            "Content-Disposition": answer.headers.get("content-disposition", "attachment"),
            # What the API serves is an upload: the browser must not guess it is a page.
            "X-Content-Type-Options": "nosniff",
        },
    )
