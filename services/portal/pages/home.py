"""Trang chủ: who you are, the campaign, its phases and targets."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from services.portal import lookups
from services.portal.client import api
from services.portal.menu import MenuItem
from services.portal.web import PORTAL, SignedIn, language, render

router = APIRouter(include_in_schema=False)
MENU = (MenuItem(PORTAL, "nav.home"),)


@router.get("/")
async def root() -> RedirectResponse:
    return RedirectResponse(PORTAL, status_code=307)


@router.get(PORTAL, response_class=HTMLResponse)
async def home(request: Request, user: SignedIn) -> HTMLResponse:
    lang = language(request)
    code = lookups.campaign_code()
    async with api(request, user.token) as client:
        campaign = await lookups.get_campaign(client, code)
        unit = await lookups.get_unit(client, user.unit_code)
    return render(
        request,
        "home.html",
        lang,
        user=user,
        code=code,
        campaign=campaign,
        definition=campaign["definition"] if campaign else None,
        phases=lookups.phases(campaign),
        unit=unit,
    )
