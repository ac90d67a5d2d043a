"""Quản trị: the federation admin's pages, reached from one menu entry (the main row keeps to a
line at 1366 px) and a row of links at the top of each: the campaign and its phases, the union
tree, awards, webhook subscribers, contacts."""

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from services.portal.menu import MenuItem
from services.portal.web import PORTAL, PortalUser, language, render, signed_in_as
from shared.auth import Role

router = APIRouter(include_in_schema=False)
PAGE = f"{PORTAL}/quan-tri"
WHO = frozenset((Role.FEDERATION_ADMIN,))
MENU = (MenuItem(PAGE, "nav.admin", WHO),)
Admin = Annotated[PortalUser, Depends(signed_in_as(*WHO))]

# The admin's pages, in the order of the row of links (path, i18n key of the link, of its
# one-line description).
SECTIONS: tuple[tuple[str, str, str], ...] = (
    (f"{PORTAL}/quan-tri/ke-hoach", "adm.campaigns", "adm.campaigns_about"),
    (f"{PORTAL}/quan-tri/don-vi", "adm.tree", "adm.tree_about"),
    (f"{PORTAL}/quan-tri/hoi-dong", "assign.section", "assign.section_about"),
    (f"{PORTAL}/quan-tri/khen-thuong", "adm.awards", "adm.awards_about"),
    (f"{PORTAL}/quan-tri/webhook", "adm.subscribers", "adm.subscribers_about"),
    (f"{PORTAL}/quan-tri/lien-he", "adm.contacts", "adm.contacts_about"),
)


@router.get(PAGE, response_class=HTMLResponse)
async def admin_home(request: Request, user: Admin) -> HTMLResponse:
    return render(request, "admin.html", language(request), user=user, sections=SECTIONS)


def render_admin(
    request: Request, template: str, user: PortalUser, *, status_code: int = 200, **context: Any
) -> HTMLResponse:
    """An admin page in the person's language, with the row of the admin's pages."""
    return render(
        request,
        template,
        language(request),
        user=user,
        status_code=status_code,
        admin_sections=SECTIONS,
        **context,
    )


def shown_on_get(
    router: APIRouter, path: str, page: Callable[[Request, PortalUser], Awaitable[HTMLResponse]]
) -> None:
    """GET `path`: the admin page `page` as it first shows (nothing typed, nothing refused);
    whatever it filters by, `page` reads from the query itself."""

    async def shown(request: Request, user: Admin) -> HTMLResponse:
        return await page(request, user)

    router.add_api_route(path, shown, methods=["GET"], response_class=HTMLResponse)
