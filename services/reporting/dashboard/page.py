"""The dashboard as a web page (Bảng điều khiển thi đua): what a union officer looks at.

The figures come from the dashboard's queries, the ones its API answers with, called with the
request's session, so the page and `/api/v1/...` cannot disagree. They are written into the
HTML as text (readable without JavaScript, and by tests through data-* attributes) and handed,
the same values, to Chart.js as JSON. Chart.js is vendored under static/vendor: the page needs
no CDN.
Public, like the API's federation-wide figures; Vietnamese by default, English with ?lang=en:
the campaign file's names in English where it gives them (`name_en`), the targets' summaries
and reasons in English (shared.campaign.progress), numbers as English writes them; what has no
English (the plan's title and theme, a name the file gives in Vietnamese only) is shown in
Vietnamese, marked lang="vi".
"""

from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from services.reporting.dashboard import queries
from services.reporting.dashboard.words import WORDS
from services.reporting.dependencies import DashboardAnswers, Files
from services.reporting.labels import field_label
from services.reporting.queries import campaign_or_404, phase_or_404
from shared.campaign.model import Campaign, Named, name_in
from shared.clock import today
from shared.contracts.vocabulary import LANGUAGES, InitiativeField, Language, UnitLevel
from shared.formatting import format_date, format_vnd
from shared.http.dependencies import CampaignClock, DbSession
from shared.i18n import DEFAULT_LANGUAGE, LANGUAGE_NAMES, Translator, language_or_none
from shared.refusals import Refusal

STATIC_URL = "/static/reporting"
LAGGING_SHOWN = 4  # named per target; the rest are "và N đơn vị khác"
HONOUR_ROWS = 8
# One colour per field, the same in the doughnut and in the table beside it.
FIELD_COLOURS: dict[str, str] = {
    InitiativeField.technical: "#0b5394",
    InitiativeField.management: "#e69138",
    InitiativeField.occupational_safety: "#c8102e",
    InitiativeField.environment: "#38761d",
    InitiativeField.digital_transformation: "#674ea7",
    InitiativeField.other: "#7f8c8d",
}

router = APIRouter(include_in_schema=False)
# The look the dashboard shares with the officers' portal, kept once with the portal's static
# files (the one image installs every service's package) and served here, beside the
# dashboard's own: before the mount of those, which would otherwise answer for it.
PORTAL = Path(__file__).parents[2] / "portal"
SHARED_LOOK = PORTAL / "static" / "base.css"


@router.api_route(f"{STATIC_URL}/base.css", methods=["GET", "HEAD"], response_class=FileResponse)
async def shared_look() -> FileResponse:
    return FileResponse(SHARED_LOOK, media_type="text/css; charset=utf-8")


router.mount(
    STATIC_URL,
    StaticFiles(directory=Path(__file__).parent.parent / "static"),
    name="reporting-static",
)
# The portal's templates come second: the top bar's brand and language switch (_top.html) are
# the portal's, kept once there like base.css.
TEMPLATES = Jinja2Templates(
    directory=[
        Path(__file__).parent.parent / "templates",
        PORTAL / "templates",
    ]
)
TEMPLATES.env.filters.update(vn_date=format_date, vnd=format_vnd)
TEMPLATES.env.globals["language_names"] = LANGUAGE_NAMES  # the shared top bar names them


def _said(w: Translator, refused: Refusal) -> str:
    return w.pick(refused.error["message_vi"], refused.error["message_en"])


def _language(value: str | None) -> Language:
    return language_or_none(value) or DEFAULT_LANGUAGE


def _current_phase(plan: Campaign, today: date) -> str:
    """The phase under way (or the last one begun, or the first): where an officer looks."""
    begun = [p for p in plan.phases if p.starts_on <= today]
    return (begun[-1] if begun else plan.phases[0]).code


@router.get("/dashboard", response_model=None)
async def newest(
    request: Request, session: DbSession, files: Files, lang: str | None = None
) -> RedirectResponse | HTMLResponse:
    """The newest campaign's page (by the start of its period)."""
    plans = await files.readable(session)
    if not plans:
        w = Translator(WORDS, _language(lang))
        return _page(request, w, "dashboard.html", 404, problem=w("no_campaign"))
    code = max(plans, key=lambda p: p.period.starts_on).code
    query = f"?{urlencode({'lang': lang})}" if lang else ""
    return RedirectResponse(f"/dashboard/{code}{query}", status_code=307)


@router.get("/dashboard/{campaign_code}", response_class=HTMLResponse)
async def dashboard(
    request: Request,
    campaign_code: str,
    session: DbSession,
    files: Files,
    answers: DashboardAnswers,
    clock: CampaignClock,
    phase: str | None = None,
    lang: str | None = None,
) -> HTMLResponse:
    w = Translator(WORDS, _language(lang))
    # The API's refusals, in the page's language: the page and the API say it alike.
    try:
        plan = await campaign_or_404(session, files, campaign_code)
    except Refusal as refused:
        return _page(request, w, "dashboard.html", 404, problem=_said(w, refused))
    try:
        chosen = phase_or_404(plan, phase or _current_phase(plan, today(clock)))
    except Refusal as refused:
        return _page(request, w, "dashboard.html", 404, problem=_said(w, refused), plan=plan)
    progress = await queries.progress(
        session, answers, plan, chosen, clock, lagging_limit=LAGGING_SHOWN
    )
    league = await queries.league(
        session,
        answers,
        plan,
        chosen,
        clock,
        level=UnitLevel.affiliated,
        within=None,
        limit=queries.LEAGUE_ROWS,
        offset=0,
    )
    trend = await queries.trend(session, plan, clock)
    fields = await queries.by_field(session, plan, chosen)
    honour = await queries.honour_board(session, plan, limit=HONOUR_ROWS)
    totals = {
        "submitted": sum(f.submitted for f in fields),
        "recognised": sum(f.recognised for f in fields),
        "benefit_vnd": sum(f.benefit_vnd for f in fields),
        "targets_met": sum(t.met for t in progress.targets),
    }
    charts = _chart_data(w, plan, chosen.code, progress, trend, fields)
    return _page(
        request,
        w,
        "dashboard.html",
        200,
        plan=plan,
        phase=chosen,
        progress=progress,
        league=league,
        trend=trend,
        fields=fields,
        honour=honour,
        totals=totals,
        charts=charts,
        colours=FIELD_COLOURS,
        field_label=lambda code: field_label(code, w.lang),
        phase_names={p.code: name_in(p, w.lang) for p in plan.phases},
        award_names=_award_names(plan, w),
    )


def _award_names(plan: Campaign, w: Translator) -> dict[str, str]:
    """An award's name as the events carry it (the file's Vietnamese) -> in the reader's
    language: the names of the file's award types and rules."""
    types = {t.name: name_in(t, w.lang) for t in plan.awards.types}
    return {**{r.name: name_in(r, w.lang) for r in plan.awards.rules}, **types}


def _chart_data(
    w: Translator,
    plan: Campaign,
    phase_code: str,
    progress: queries.ProgressPublic,
    trend: queries.TrendPublic,
    fields: list[queries.FieldPublic],
) -> dict[str, Any]:
    """What dashboard.js draws: the API's values, with the words its legends need."""
    reviews = {p.code: w(p.closing_review.kind.value) for p in plan.phases}
    names = {p.code: name_in(p, w.lang) for p in plan.phases}
    return {
        "lang": w.lang,
        "trend": {
            "goal": trend.goal,
            "start": plan.period.starts_on.isoformat(),
            "end": plan.period.ends_on.isoformat(),
            "phases": [
                {
                    "name": names.get(p.code, p.name),
                    "start": p.starts_on.isoformat(),
                    "end": p.ends_on.isoformat(),
                    "review": reviews[p.code],
                    "current": p.code == phase_code,
                }
                for p in trend.phases
            ],
            "days": [d.day.isoformat() for d in trend.days],
            "submitted": [d.cumulative_submitted for d in trend.days],
            "recognised": [d.cumulative_recognised for d in trend.days],
        },
        "targets": {
            "labels": [w("target", n=t.number) for t in progress.targets],
            "names": [w.pick(t.name, t.name_en or "") for t in progress.targets],
            "percent": [t.percent for t in progress.targets],
            # A count's percent is of its goal; a share's is of the units, against goal %.
            "goal": [100.0 if t.kind == "count" else t.goal for t in progress.targets],
            "state": [_state(t) for t in progress.targets],
        },
        "fields": {
            "labels": [w.pick(f.label_vi, f.label_en) for f in fields],
            "submitted": [f.submitted for f in fields],
            "colours": [FIELD_COLOURS.get(f.field, "#999999") for f in fields],
        },
        "words": {
            key: w(key) for key in ("submitted", "recognised", "goal", "met", "missed", "exceeded")
        },
    }


def _state(target: queries.TargetPublic) -> str:
    return "exceeded" if target.exceeded else "met" if target.met else "missed"


def _in_vietnamese(item: Named, w: Translator) -> bool:
    """Is `item` shown by its Vietnamese name (to mark it lang="vi")?"""
    return w.lang == "vi" or not item.name_en


def _page(
    request: Request, w: Translator, template: str, status_code: int, **context: Any
) -> HTMLResponse:
    here = {k: v for k, v in request.query_params.items() if k != "lang"}
    lang_links = {
        code: f"{request.url.path}?{urlencode({**here, 'lang': code})}" for code in LANGUAGES
    }
    return TEMPLATES.TemplateResponse(
        request,
        template,
        {
            "w": w,
            "lang": w.lang,
            "named": lambda item: name_in(item, w.lang),
            "in_vi": lambda item: _in_vietnamese(item, w),
            "static": STATIC_URL,
            "lang_links": lang_links,
            "state": _state,
            **context,
        },
        status_code=status_code,
    )
