"""Hội đồng sáng kiến: a council member's pages. What waits for my score (title, field, unit,
received date, expected benefit), each initiative's content and a scoring form per criterion on
the campaign's scale with its weights, a vote and a private note; what I scored before.

Over scoring's GET /api/v1/reviews/pending, /reviews/mine, /reviews/{id} and POST
/reviews/{id}/scores; the content from submissions' GET /api/v1/initiatives/{id} (it answers a
member of the initiative's council, a confidential one's content included); the criteria, their
weights and the scale from the campaign (`initiative_review`).
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from services.portal import lookups
from services.portal.client import api, errors_of, items_of, list_errors_of
from services.portal.forms import (
    FormErrors,
    FormRefusal,
    form_shown,
    parse_number,
    typed_values,
)
from services.portal.i18n import Language, Translator
from services.portal.menu import MenuItem
from services.portal.web import (
    PORTAL,
    Flash,
    Label,
    PortalUser,
    language,
    redirect,
    render,
    signed_in_as,
)
from shared.auth import Role
from shared.contracts.bounds import PAGE_MAX
from shared.contracts.lifecycle import VERDICTS, InitiativeStatus

router = APIRouter(include_in_schema=False)
PAGE = f"{PORTAL}/hoi-dong"
WHO = frozenset((Role.REVIEWER,))
MENU = (MenuItem(PAGE, "nav.council", WHO),)
Reviewer = Annotated[PortalUser, Depends(signed_in_as(*WHO))]
NOTE = "private_note"
VOTE = "vote_for"


def link(initiative_id: object) -> str:
    return f"{PAGE}/{initiative_id}"


def score_field(code: str) -> str:
    """The form field of a criterion's score."""
    return f"score-{code}"


def _decimal(value: object) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _plain(number: Decimal | None) -> str:
    """10 for Decimal('10.0'), 7,5 for Decimal('7.5'): a number as a Vietnamese form shows it."""
    if number is None:
        return ""
    text = format(number.normalize(), "f")
    return text.replace(".", ",")


@dataclass(frozen=True)
class Criterion:
    code: str
    name: str  # the campaign file's (Vietnamese)
    description: str
    weight_percent: str  # "30"
    name_en: str = ""  # the campaign file's English name, if it gives one

    def label(self, t: Translator) -> str:
        """Its name in the person's language: the file's English name where it gives one;
        else the portal's words for the 2022 criteria; else the file's Vietnamese."""
        key = f"council.criterion.{self.code}"
        english = self.name_en
        if not english:
            try:
                english = Translator("en")(key)
            except KeyError:
                english = self.name
        return t.pick(self.name, english)


@dataclass(frozen=True)
class ScoringRule:
    """The campaign's `initiative_review` as the form shows it."""

    criteria: tuple[Criterion, ...]
    scale_min: str
    scale_max: str
    min_members: int


def scoring_rule(campaign: dict[str, Any] | None) -> ScoringRule | None:
    review = (campaign or {}).get("definition", {}).get("initiative_review")
    if not review:
        return None
    criteria = tuple(
        Criterion(
            code=c["code"],
            name=c["name"],
            name_en=c.get("name_en") or "",
            description=c.get("description") or "",
            weight_percent=_plain((_decimal(c["weight"]) or Decimal(0)) * 100),
        )
        for c in review["criteria"]
    )
    scale = review["scale"]
    return ScoringRule(
        criteria=criteria,
        scale_min=_plain(_decimal(scale["min"])),
        scale_max=_plain(_decimal(scale["max"])),
        min_members=int(review.get("council_rule", {}).get("min_members") or 1),
    )


def read_score_form(
    form: dict[str, str], codes: tuple[str, ...]
) -> tuple[dict[str, Any], list[str]]:
    """What `POST /reviews/{id}/scores` takes, from the form; and the score fields that are
    not numbers (sent as typed, so that the API refuses them with whatever else it finds).

    A score is written as 8, 7,5 or 7.5; an empty one is left out (the API names it missing).
    The vote is "for" or "against"; without one, none is sent (the API says it is required).
    """
    scores: dict[str, Any] = {}
    unreadable = []
    for code in codes:
        text = form.get(score_field(code), "").strip()
        if not text:
            continue
        number = parse_number(text)
        if number is None:
            scores[code] = text
            unreadable.append(score_field(code))
        else:
            scores[code] = int(number) if number.is_integer() else number
    body: dict[str, Any] = {"scores": scores}
    vote = form.get(VOTE, "")
    if vote in ("for", "against"):
        body[VOTE] = vote == "for"
    note = form.get(NOTE, "").strip()
    if note:
        body[NOTE] = note
    return body, unreadable


def form_field(api_field: str) -> str:
    """The form field an API error names: scores.novelty -> score-novelty."""
    if api_field.startswith("scores."):
        return score_field(api_field.removeprefix("scores."))
    if api_field in (VOTE, NOTE):
        return api_field
    return ""


def my_form(mine: dict[str, Any] | None) -> dict[str, str]:
    """The form filled with the member's recorded scorecard (to revise it), or empty."""
    if not mine:
        return {}
    form = {score_field(k): _plain(_decimal(v)) for k, v in mine["my_scores"].items()}
    form[VOTE] = "for" if mine["my_vote_for"] else "against"
    form[NOTE] = mine.get("my_note") or ""
    return form


async def _mine(request: Request, user: PortalUser) -> tuple[list[dict[str, Any]], bool]:
    async with api(request, user.token, "scoring") as scoring:
        answer = await scoring.get("/api/v1/reviews/mine", params={"limit": PAGE_MAX})
    if answer.status_code != 200:
        return [], False
    listed: list[dict[str, Any]] = answer.json()
    return listed, True


@router.get(PAGE, response_class=HTMLResponse)
async def waiting_list(request: Request, user: Reviewer) -> HTMLResponse:
    async with api(request, user.token, "scoring") as scoring:
        pending = await scoring.get("/api/v1/reviews/pending", params={"limit": PAGE_MAX})
    mine, mine_read = await _mine(request, user)
    waiting = items_of(pending)
    async with api(request, user.token) as submissions:
        await lookups.name_units(submissions, [*waiting, *mine])
    return render(
        request,
        "council.html",
        language(request),
        user=user,
        pending=waiting,
        list_errors=list_errors_of(pending),
        mine=mine,
        mine_read=mine_read,
    )


async def _detail(
    request: Request,
    user: PortalUser,
    lang: Language,
    initiative_id: UUID,
    refused: FormRefusal | None = None,
) -> HTMLResponse:
    async with api(request, user.token, "scoring") as scoring:
        found = await scoring.get(f"/api/v1/reviews/{initiative_id}")
    if found.status_code in (403, 404, 422):
        raise HTTPException(404)
    found.raise_for_status()
    review: dict[str, Any] = found.json()
    async with api(request, user.token) as submissions:
        content = await submissions.get(review["content_path"])
        campaign = await lookups.get_campaign(submissions, review["campaign_code"])
        await lookups.name_units(submissions, [review])
    rule = scoring_rule(campaign)
    me = user.principal.subject
    mine = None
    if me in review["scored_by"]:
        listed, _ = await _mine(request, user)
        mine = next((m for m in listed if m["initiative_id"] == review["initiative_id"]), None)
    fields = {NOTE, VOTE, *(score_field(c.code) for c in rule.criteria)} if rule else set()
    return render(
        request,
        "council_review.html",
        lang,
        user=user,
        r=review,
        i=content.json() if content.status_code == 200 else None,
        rule=rule,
        mine=mine,
        my_scores={k: _plain(_decimal(v)) for k, v in (mine or {}).get("my_scores", {}).items()},
        may_score=review["status"] == InitiativeStatus.under_review and me in review["council"],
        **form_shown(refused, form=my_form(mine), errors=FormErrors(fields=fields)),
    )


@router.get(PAGE + "/{initiative_id:uuid}", response_class=HTMLResponse)
async def review_page(request: Request, user: Reviewer, initiative_id: UUID) -> HTMLResponse:
    return await _detail(request, user, language(request), initiative_id)


@router.post(PAGE + "/{initiative_id:uuid}/cham", response_model=None)
async def score(request: Request, user: Reviewer, initiative_id: UUID) -> Response:
    data = await request.form()
    lang = language(request, data)
    form = typed_values(data)
    codes = tuple(str(k).removeprefix("score-") for k in data if str(k).startswith("score-"))
    body, unreadable = read_score_form(form, codes)
    async with api(request, user.token, "scoring") as scoring:
        answer = await scoring.post(f"/api/v1/reviews/{initiative_id}/scores", json=body)
    if answer.status_code == 200:
        decided = answer.json()
        messages: list[Flash] = [("success", "council.scored", {"title": decided["title"]})]
        if decided["status"] in VERDICTS:
            outcome = Label(decided["status_vi"], decided["status_en"])
            messages.append(("success", "council.decided", {"outcome": outcome}))
        return redirect(PAGE, *messages)
    fields = {NOTE, VOTE, *(score_field(code) for code in codes)}
    errors = FormErrors.from_api(errors_of(answer), form_field, fields)
    errors.word_unreadable(unreadable)  # added too when the API stopped first (no vote)
    if VOTE not in body and not errors.for_field(VOTE):
        errors.add_words(VOTE, "council.vote_missing")
    return await _detail(
        request, user, lang, initiative_id, FormRefusal(form, errors, answer.status_code)
    )
