"""Kế hoạch thi đua: publish a year's campaign file (a refused file is shown line by line, each
problem beside the line it names), and open or close each campaign's phases (closing before a
phase's end is forced, with a reason). Over submissions' /api/v1/campaigns."""

import re
import uuid
from dataclasses import dataclass, field
from typing import Any

import yaml
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import UploadFile

from services.portal.client import ApiError, api, errors_of, items_of
from services.portal.forms import FormErrors, idempotency_key, parse_date_vn
from services.portal.lookups import phases
from services.portal.pages.admin import Admin, render_admin, shown_on_get
from services.portal.web import PORTAL, redirect, refusal
from shared.contracts.bounds import CAMPAIGN_FILE_MAX_BYTES

router = APIRouter(include_in_schema=False)
PAGE = f"{PORTAL}/quan-tri/ke-hoach"
MENU = ()  # reached from Quản trị
_LINE = re.compile(r"line (\d+)")
_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def line_of(text: str, location: str) -> int | None:
    """The line (1-based) of the campaign file `text` that a problem's location names: a
    `dòng 12, cột 3 / line 12, column 3` as it says; a path such as `phases[1].ends_on` where
    that key is written (or, a key that is missing, where its parent begins); None if the
    file cannot be read as YAML or the location names no place in it (the document root)."""
    written = _LINE.search(location)
    if written:
        return int(written.group(1))
    steps = [
        (name, int(index)) if index else (name, None) for name, index in _STEP.findall(location)
    ]
    if not steps or location.startswith("("):
        return None
    try:
        node: Any = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    if node is None:
        return None
    line: int | None = None
    for name, index in steps:
        if index is not None and isinstance(node, yaml.SequenceNode):
            if index >= len(node.value):
                break
            node = node.value[index]
            line = node.start_mark.line + 1
        elif name and isinstance(node, yaml.MappingNode):
            found = next((pair for pair in node.value if pair[0].value == name), None)
            if found is None:
                line = line or node.start_mark.line + 1
                break
            key, node = found
            line = key.start_mark.line + 1
        else:
            break
    return line


@dataclass
class FileLine:
    number: int
    text: str
    problems: list[ApiError] = field(default_factory=list)


def annotated(text: str, problems: list[ApiError]) -> tuple[list[FileLine], list[ApiError]]:
    """The file's lines, each with the problems that name it; and the problems that name no
    line (shown above the file)."""
    lines = [FileLine(n, line) for n, line in enumerate(text.splitlines(), start=1)]
    unplaced = []
    for problem in problems:
        at = line_of(text, problem.field)
        if at is not None and 1 <= at <= len(lines):
            lines[at - 1].problems.append(problem)
        else:
            unplaced.append(problem)
    return lines, unplaced


async def _page(
    request: Request,
    user: Admin,
    *,
    upload_errors: FormErrors | None = None,
    file_lines: list[FileLine] | None = None,
    unplaced: list[ApiError] | None = None,
    filename: str = "",
    closing: tuple[str, str, FormErrors, dict[str, str]] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    async with api(request, user.token) as submissions:
        listed = await submissions.get("/api/v1/campaigns")
    campaigns = items_of(listed)
    campaigns.sort(key=lambda c: c["code"], reverse=True)
    return render_admin(
        request,
        "admin_campaigns.html",
        user,
        status_code=status_code,
        campaigns=[{**c, "phase_rows": phases(c)} for c in campaigns],
        upload_errors=upload_errors or FormErrors(fields={"campaign_file"}),
        file_lines=file_lines,
        unplaced=unplaced or [],
        filename=filename,
        closing=closing,
        no_errors=FormErrors(),
        key=str(uuid.uuid4()),
    )


shown_on_get(router, PAGE, _page)


@router.post(PAGE, response_model=None)
async def publish(request: Request, user: Admin) -> Response:
    data = await request.form()
    upload = data.get("campaign_file")
    errors = FormErrors(fields={"campaign_file"})
    if not isinstance(upload, UploadFile) or not upload.filename:
        errors.add_words("campaign_file", "cpg.file_missing")
        return await _page(request, user, upload_errors=errors, status_code=422)
    # The API's bound: a larger file is neither read whole here nor sent.
    raw = await upload.read(CAMPAIGN_FILE_MAX_BYTES + 1)
    if len(raw) > CAMPAIGN_FILE_MAX_BYTES:
        errors.add_words("campaign_file", "cpg.file_too_large", kb=CAMPAIGN_FILE_MAX_BYTES // 1024)
        return await _page(request, user, upload_errors=errors, status_code=413)
    text = raw.decode("utf-8", errors="replace")
    async with api(request, user.token) as submissions:
        answer = await submissions.post(
            "/api/v1/campaigns",
            content=raw,
            headers={
                "content-type": "application/yaml",
                "Idempotency-Key": idempotency_key(data),
            },
        )
    if answer.status_code == 201:
        return redirect(
            f"{PAGE}#campaign-{answer.json()['code']}",
            ("success", "cpg.published", {"code": answer.json()["code"]}),
        )
    problems = errors_of(answer)
    details = [p for p in problems if p.field != "campaign_file"]
    if not details:  # refused as a whole (already published, a conflict): no lines to show
        errors = FormErrors.on_field(problems, "campaign_file")
        return await _page(request, user, upload_errors=errors, status_code=answer.status_code)
    lines, unplaced = annotated(text, details)
    errors.add("campaign_file", "Tệp kế hoạch thi đua không hợp lệ", "Invalid campaign file")
    # The count links to the first line with a problem (the summary links a field it shows).
    first = next((f"line-{line.number}" for line in lines if line.problems), "campaign_file")
    errors.fields = {"campaign_file", first}
    errors.add_words(first, "cpg.problems_count", count=len(details))
    return await _page(
        request,
        user,
        upload_errors=errors,
        file_lines=lines,
        unplaced=unplaced,
        filename=upload.filename,
        status_code=answer.status_code,
    )


@router.post(PAGE + "/{campaign_code}/{phase_code}/mo", response_model=None)
async def open_phase(
    request: Request, user: Admin, campaign_code: str, phase_code: str
) -> Response:
    await request.form()
    async with api(request, user.token) as submissions:
        answer = await submissions.post(
            f"/api/v1/campaigns/{campaign_code}/phases/{phase_code}/open"
        )
    return redirect(
        f"{PAGE}#phase-{campaign_code}-{phase_code}",
        ("success", "cpg.opened", {"phase": phase_code, "code": campaign_code})
        if answer.status_code == 200
        else ("error", "cpg.refused", {"phase": phase_code, "why": refusal(answer)}),
    )


CLOSE_FIELDS = ("force", "reason", "closed_on")


@router.post(PAGE + "/{campaign_code}/{phase_code}/dong", response_model=None)
async def close_phase(
    request: Request, user: Admin, campaign_code: str, phase_code: str
) -> Response:
    data = await request.form()
    prefix = f"close-{campaign_code}-{phase_code}-"
    typed = {name: str(data.get(prefix + name) or "").strip() for name in CLOSE_FIELDS}
    day = parse_date_vn(typed["closed_on"]) if typed["closed_on"] else None
    body: dict[str, Any] = {"force": typed["force"] == "on"}
    if typed["reason"]:
        body["reason"] = typed["reason"]
    if typed["closed_on"]:
        body["closed_on"] = day.isoformat() if day else typed["closed_on"]
    async with api(request, user.token) as submissions:
        answer = await submissions.post(
            f"/api/v1/campaigns/{campaign_code}/phases/{phase_code}/close", json=body
        )
    if answer.status_code == 200:
        return redirect(
            f"{PAGE}#phase-{campaign_code}-{phase_code}",
            ("success", "cpg.closed", {"phase": phase_code, "code": campaign_code}),
        )
    names = {prefix + name for name in CLOSE_FIELDS}

    def to_field(api_field: str) -> str:
        return prefix + api_field if api_field in CLOSE_FIELDS else ""

    errors = FormErrors.from_api(errors_of(answer), to_field, names)
    if typed["closed_on"] and day is None:
        errors.reword(prefix + "closed_on", "input.date_invalid")
    return await _page(
        request,
        user,
        closing=(campaign_code, phase_code, errors, typed),
        status_code=answer.status_code,
    )
