"""Nhập từ tệp: the units spreadsheet (and the initiatives one, where the API has it), with
the API's row-by-row errors. Over POST /api/v1/units/import and /api/v1/initiatives/import."""

import json
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import UploadFile

from services.portal.client import api, errors_of
from services.portal.forms import FormErrors
from services.portal.i18n import Language
from services.portal.menu import MenuItem
from services.portal.web import OFFICERS, PORTAL, Officer, PortalUser, language, render
from shared.contracts.bounds import SPREADSHEET_FILE_MAX_BYTES
from shared.contracts.sheets import INITIATIVE_COLUMNS, UNIT_COLUMNS
from shared.formatting import format_number

router = APIRouter(include_in_schema=False)
PAGE = f"{PORTAL}/nhap-tep"
MENU = (MenuItem(PAGE, "nav.imports", OFFICERS),)


@dataclass(frozen=True)
class ImportKind:
    slug: str
    title_key: str
    endpoint: str
    template: str  # the API's blank spreadsheet, downloaded through the portal
    columns: Mapping[str, tuple[str, str]]  # each field's column, as the template heads it

    @property
    def template_link(self) -> str:
        return f"{PAGE}/{self.slug}/mau.xlsx"


KINDS = (
    ImportKind(
        "don-vi",
        "imp.units",
        "/api/v1/units/import",
        "/api/v1/units/import-template.xlsx",
        UNIT_COLUMNS,
    ),
    ImportKind(
        "sang-kien",
        "imp.initiatives",
        "/api/v1/initiatives/import",
        "/api/v1/initiatives/import-template.xlsx",
        INITIATIVE_COLUMNS,
    ),
)


def _result(status_code: int, body: dict[str, Any], errors: list[dict[str, Any]]) -> dict[str, Any]:
    """What the page shows of an answer (also carried across a language switch)."""
    return {
        "status": status_code,
        "created": body.get("created"),
        "updated": body.get("updated"),
        "unchanged": body.get("unchanged"),
        "rows": [e for e in errors if isinstance(e.get("row"), int)],
        "errors": [e for e in errors if not isinstance(e.get("row"), int)],
    }


def _carried(text: object) -> dict[str, Any] | None:
    try:
        value = json.loads(text) if isinstance(text, str) and text else None
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _page(
    request: Request,
    user: PortalUser,
    lang: Language,
    *,
    kind: ImportKind | None = None,
    result: dict[str, Any] | None = None,
    keep_valid: bool = False,
    status_code: int = 200,
) -> HTMLResponse:
    # The inputs are named per form ("file-don-vi"): there is one form per kind of file.
    inputs = {"file": f"file-{kind.slug}", "keep_valid_rows": f"keep-{kind.slug}"} if kind else {}
    errors = FormErrors(fields=set(inputs.values()))
    for error in (result or {}).get("errors", []):
        errors.add(
            inputs.get(str(error.get("field") or ""), ""),
            str(error.get("message_vi") or ""),
            str(error.get("message_en") or ""),
        )
    return render(
        request,
        "imports.html",
        lang,
        user=user,
        status_code=status_code,
        switch_form=f"import-{kind.slug}" if kind else None,
        kinds=KINDS,
        current=kind.slug if kind else None,
        result=result,
        result_json=json.dumps(result, ensure_ascii=False) if result else "",
        columns=kind.columns if kind else {},
        errors=errors,
        no_errors=FormErrors(),
        keep_valid=keep_valid,
        # The API's bound, in the reader's MB: a larger file is refused there.
        file_mb=format_number(Fraction(SPREADSHEET_FILE_MAX_BYTES, 1024 * 1024), language=lang),
    )


@router.get(PAGE, response_class=HTMLResponse)
async def imports_page(request: Request, user: Officer) -> HTMLResponse:
    return _page(request, user, language(request))


@router.get(PAGE + "/{slug}/mau.xlsx")
async def blank_template(request: Request, user: Officer, slug: str) -> Response:
    """The API's blank spreadsheet, fetched as the person and handed on."""
    kind = next((k for k in KINDS if k.slug == slug), None)
    if kind is None:
        raise HTTPException(404)
    async with api(request, user.token) as client:
        answer = await client.get(kind.template)
    if answer.status_code != 200:
        raise HTTPException(answer.status_code)
    return Response(
        answer.content,
        media_type=answer.headers.get("content-type", "application/octet-stream"),
        headers={"Content-Disposition": answer.headers.get("content-disposition", "attachment")},
    )


@router.post(PAGE + "/{slug}", response_class=HTMLResponse)
async def import_file(request: Request, user: Officer, slug: str) -> HTMLResponse:
    kind = next((k for k in KINDS if k.slug == slug), None)
    if kind is None:
        raise HTTPException(404)
    form = await request.form()
    lang = language(request, form)
    keep_valid = form.get("keep_valid_rows") == "on"
    if form.get("_lang"):  # a language switch: the same result, nothing uploaded again
        result = _carried(form.get("_result"))
        return _page(request, user, lang, kind=kind, result=result, keep_valid=keep_valid)
    upload = form.get("file")
    files = {}
    if isinstance(upload, UploadFile) and upload.filename:
        files["file"] = (
            upload.filename,
            await upload.read(),
            upload.content_type or "application/octet-stream",
        )
    async with api(request, user.token) as client:
        # Without a file the API says which field is missing, as for any client.
        response = await client.post(
            kind.endpoint,
            files=files or None,
            data={"keep_valid_rows": "true" if keep_valid else "false"},
        )
    if response.status_code == 200:
        body = response.json()
        result = _result(200, body, body.get("errors", []))
    else:
        errors = [
            {"row": e.row, "field": e.field, "message_vi": e.message_vi, "message_en": e.message_en}
            for e in errors_of(response)
        ]
        result = _result(response.status_code, {}, errors)
    return _page(
        request,
        user,
        lang,
        kind=kind,
        result=result,
        keep_valid=keep_valid,
        status_code=response.status_code,
    )
