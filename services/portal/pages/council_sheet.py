"""Phiếu chấm: a council member's scores on several initiatives at once (the sheet filled in
after the council's meeting), all recorded or none. One row per initiative waiting for the
member, a score per criterion and a vote; a row left blank is not sent. Over scoring's
POST /api/v1/reviews/scores, whose first refused line answers for the sheet, beside its row.
"""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from services.portal import lookups
from services.portal.client import api, errors_of, items_of
from services.portal.forms import (
    FormErrors,
    FormRefusal,
    form_shown,
    parse_number,
    typed_values,
)
from services.portal.i18n import Language
from services.portal.pages.council import PAGE, Reviewer, scoring_rule
from services.portal.web import Flash, PortalUser, language, redirect, render
from shared.contracts.bounds import PAGE_MAX
from shared.contracts.lifecycle import VERDICTS

router = APIRouter(include_in_schema=False)
SHEET = f"{PAGE}/phieu-cham"
MENU = ()  # reached from the waiting list


def cell(row: int, code: str) -> str:
    """The form field of one row's score on one criterion."""
    return f"s-{row}-{code}"


def read_sheet(
    form: dict[str, str], codes: tuple[str, ...]
) -> tuple[list[dict[str, Any]], list[int], list[str]]:
    """The sheet's lines as `POST /reviews/scores` takes them, the rows they came from (line k
    is row rows[k]), and the score fields that are not numbers (sent as typed, so that the API
    refuses them). A row with no score and no vote is left out."""
    items: list[dict[str, Any]] = []
    rows: list[int] = []
    unreadable: list[str] = []
    row = 0
    while f"row-{row}" in form:
        texts = {code: form.get(cell(row, code), "").strip() for code in codes}
        vote = form.get(f"vote-{row}", "")
        if any(texts.values()) or vote:
            scores: dict[str, Any] = {}
            for code, text in texts.items():
                if not text:
                    continue
                number = parse_number(text)
                if number is None:
                    scores[code] = text
                    unreadable.append(cell(row, code))
                else:
                    scores[code] = int(number) if number.is_integer() else number
            item: dict[str, Any] = {"initiative_id": form[f"row-{row}"], "scores": scores}
            if vote in ("for", "against"):
                item["vote_for"] = vote == "for"
            items.append(item)
            rows.append(row)
        row += 1
    return items, rows, unreadable


def sheet_field(api_field: str, rows: list[int]) -> str:
    """items.1.scores.novelty -> the cell of that line's row; items.1.vote_for -> its vote;
    anything else of a line (not on its council, already decided) -> the row itself."""
    parts = api_field.split(".")
    if len(parts) < 3 or parts[0] != "items" or not parts[1].isdigit():
        return ""
    line = int(parts[1])
    if line >= len(rows):
        return ""
    row = rows[line]
    if parts[2] == "scores" and len(parts) == 4:
        return cell(row, parts[3])
    if parts[2] == "vote_for":
        return f"vote-{row}"
    return f"row-{row}"


async def _page(
    request: Request,
    user: PortalUser,
    lang: Language,
    refused: FormRefusal | None = None,
) -> HTMLResponse:
    code = lookups.campaign_code()
    async with api(request, user.token, "scoring") as scoring:
        pending = await scoring.get("/api/v1/reviews/pending", params={"limit": PAGE_MAX})
    # The sheet is the campaign's: its criteria are the columns.
    waiting = [r for r in items_of(pending) if r["campaign_code"] == code]
    async with api(request, user.token) as submissions:
        campaign = await lookups.get_campaign(submissions, code)
        await lookups.name_units(submissions, waiting)
    return render(
        request,
        "council_sheet.html",
        lang,
        user=user,
        pending=waiting,
        rule=scoring_rule(campaign),
        **form_shown(refused, form={}, errors=FormErrors(fields=set())),
    )


@router.get(SHEET, response_class=HTMLResponse)
async def sheet_page(request: Request, user: Reviewer) -> HTMLResponse:
    return await _page(request, user, language(request))


@router.post(SHEET, response_model=None)
async def submit_sheet(request: Request, user: Reviewer) -> Response:
    data = await request.form()
    lang = language(request, data)
    form = typed_values(data)
    codes = tuple(dict.fromkeys(k.split("-", 2)[2] for k in form if k.startswith("s-")))
    items, rows, unreadable = read_sheet(form, codes)
    fields = {k for k in form if k.startswith(("s-", "vote-", "row-"))}
    if not items:
        errors = FormErrors(fields=fields)
        errors.add_words("", "sheet.empty")
        return await _page(request, user, lang, FormRefusal(form, errors, 422))
    async with api(request, user.token, "scoring") as scoring:
        answer = await scoring.post("/api/v1/reviews/scores", json={"items": items})
    if answer.status_code == 200:
        recorded = answer.json()
        decided = sum(1 for r in recorded if r["status"] in VERDICTS)
        messages: list[Flash] = [("success", "sheet.recorded", {"count": len(recorded)})]
        if decided:
            messages.append(("success", "sheet.decided", {"count": decided}))
        return redirect(PAGE, *messages)
    errors = FormErrors.from_api(errors_of(answer), lambda f: sheet_field(f, rows), fields)
    errors.word_unreadable(unreadable)
    return await _page(request, user, lang, FormRefusal(form, errors, answer.status_code))
