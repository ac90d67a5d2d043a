"""Khen thưởng: a phase's award proposals to confirm or reject (with a reason), confirmed
awards to revoke (with a reason), and the phase's decision and each award's certificate as
DOCX. Over scoring's /api/v1/awards (the documents pass through the portal: the browser holds
no token of its own)."""

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from services.portal import lookups
from services.portal.client import ApiError, api, errors_of, items_of, list_errors_of
from services.portal.forms import FormErrors, RowRefusal
from services.portal.pages.admin import Admin, render_admin, shown_on_get
from services.portal.web import PORTAL, Label, redirect, refusal
from shared.contracts.vocabulary import AwardStatus, PhaseStatus

router = APIRouter(include_in_schema=False)
PAGE = f"{PORTAL}/quan-tri/khen-thuong"
MENU = ()  # reached from Quản trị
# An award's states in the order an admin works through them: the vocabulary's own.
ORDER = tuple(AwardStatus)
# Where an admin still decides: a proposal is confirmed or rejected, a confirmed award revoked.
DECIDABLE = frozenset({AwardStatus.proposed, AwardStatus.confirmed})
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def by_status(awards: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """The awards grouped by status, in the order an admin works through them; each group by
    award, then recipient."""
    groups: dict[str, list[dict[str, Any]]] = {status: [] for status in ORDER}
    for award in awards:
        groups.setdefault(award["status"], []).append(award)
    for group in groups.values():
        group.sort(
            key=lambda a: (a["grant"].get("award_name", ""), a["grant"].get("recipient_name", ""))
        )
    return groups


def _chosen_campaign(request: Request, codes: list[str]) -> str:
    """?campaign= if it is published, else the portal's campaign (the year's)."""
    asked = request.query_params.get("campaign") or request.query_params.get("campaign_code")
    return asked if asked in codes else lookups.campaign_code()


def _chosen_phase(request: Request, campaign: dict[str, Any] | None) -> str | None:
    rows = lookups.phases(campaign)
    asked = request.query_params.get("phase")
    if asked and any(p["code"] == asked for p in rows):
        return asked
    closed = [p["code"] for p in rows if p["status"] == PhaseStatus.closed]
    return closed[-1] if closed else (rows[0]["code"] if rows else None)


async def _page(
    request: Request,
    user: Admin,
    *,
    campaign_code: str | None = None,
    phase: str | None = None,
    refused: RowRefusal[str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    async with api(request, user.token) as submissions:
        listed_campaigns = await submissions.get("/api/v1/campaigns")
        codes = sorted((c["code"] for c in items_of(listed_campaigns)), reverse=True)
        code = (
            campaign_code
            if campaign_code is not None and campaign_code in codes
            else _chosen_campaign(request, codes)
        )
        campaign = await lookups.get_campaign(submissions, code)
    phase = phase or _chosen_phase(request, campaign)
    awards: list[dict[str, Any]] = []
    list_errors: list[ApiError] = []
    if phase:
        async with api(request, user.token, "scoring") as scoring:
            listed = await scoring.get(
                "/api/v1/awards", params={"campaign_code": code, "phase_code": phase}
            )
        awards = items_of(listed)
        list_errors = list_errors_of(listed)
    return render_admin(
        request,
        "admin_awards.html",
        user,
        status_code=status_code,
        campaign_code=code,
        campaign_codes=codes,
        phase_rows=lookups.phases(campaign),
        phase=phase,
        award_names=lookups.award_names(campaign),
        groups=by_status(awards),
        confirmed=sum(1 for a in awards if a["status"] == AwardStatus.confirmed),
        decidable=DECIDABLE,
        list_errors=list_errors,
        refused=refused,
    )


shown_on_get(router, PAGE, _page)


@router.post(PAGE + "/{award_id:uuid}/{action}", response_model=None)
async def decide(request: Request, user: Admin, award_id: UUID, action: str) -> Response:
    data = await request.form()
    phase = str(data.get("phase") or "")
    campaign = str(data.get("campaign") or "")
    if action not in ("confirm", "reject", "revoke"):
        return redirect(PAGE)
    reason = str(data.get("reason") or "").strip()
    async with api(request, user.token, "scoring") as scoring:
        answer = await scoring.post(
            f"/api/v1/awards/{award_id}/{action}",
            json=None if action == "confirm" else {"reason": reason},
        )
    if answer.status_code == 200:
        grant = answer.json()["grant"]
        award = Label(grant["award_name"], grant["award_name"])
        return redirect(
            f"{PAGE}?campaign={campaign}&phase={phase}#award-{award_id}",
            ("success", f"awd.done_{action}", {"award": award, "who": grant["recipient_name"]}),
        )
    field = f"reason-{award_id}"
    errors = FormErrors.on_field(errors_of(answer), field)
    return await _page(
        request,
        user,
        campaign_code=campaign or None,
        phase=phase or None,
        refused=RowRefusal(str(award_id), errors, reason),
        status_code=answer.status_code,
    )


async def _document(request: Request, user: Admin, path: str, params: dict[str, str]) -> Response:
    async with api(request, user.token, "scoring") as scoring:
        answer = await scoring.get(path, params=params)
    if answer.status_code == 200:
        return Response(
            answer.content,
            media_type=DOCX,
            headers={
                "Content-Disposition": answer.headers.get("content-disposition", "attachment")
            },
        )
    return redirect(
        f"{PAGE}?campaign={params.get('campaign_code', '')}&phase={params.get('phase_code', '')}",
        ("error", "awd.no_document", {"why": refusal(answer)}),
    )


@router.get(PAGE + "/quyet-dinh.docx", response_model=None)
async def decision_docx(request: Request, user: Admin) -> Response:
    return await _document(
        request,
        user,
        "/api/v1/awards/decision.docx",
        {
            "campaign_code": request.query_params.get("campaign") or lookups.campaign_code(),
            "phase_code": request.query_params.get("phase", ""),
        },
    )


@router.get(PAGE + "/{award_id:uuid}/giay-khen.docx", response_model=None)
async def certificate_docx(request: Request, user: Admin, award_id: UUID) -> Response:
    return await _document(
        request,
        user,
        f"/api/v1/awards/{award_id}/certificate.docx",
        {
            "campaign_code": request.query_params.get("campaign", ""),
            "phase_code": request.query_params.get("phase", ""),
        },
    )
