"""Cây đơn vị: the union tree as a tree (each unit with children a <details> to open or
close, no script needed), and a unit's page: its code, name, level, parent, children and the
officers notifications knows for it. Over submissions' /api/v1/units and notifications'
/api/v1/contacts; the spreadsheet import is the Nhập từ tệp page."""

from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse

from services.portal import lookups
from services.portal.client import ServiceClient, api, items_of
from services.portal.pages.admin import Admin, render_admin
from services.portal.web import PORTAL
from shared.contracts.bounds import ROWS_PAGE_MAX

router = APIRouter(include_in_schema=False)
PAGE = f"{PORTAL}/quan-tri/don-vi"
MENU = ()  # reached from Quản trị


@dataclass
class Branch:
    unit: dict[str, Any]
    children: list["Branch"] = field(default_factory=list)

    @property
    def size(self) -> int:
        """How many units lie below this one."""
        return sum(1 + child.size for child in self.children)


def tree_of(units: list[dict[str, Any]]) -> list[Branch]:
    """The units (each with `code` and `parent_code`) as branches under their parents, in the
    order given; a unit whose parent is not among them is a root."""
    branches = {u["code"]: Branch(u) for u in units}
    roots: list[Branch] = []
    for unit in units:
        parent = branches.get(unit.get("parent_code") or "")
        (parent.children if parent else roots).append(branches[unit["code"]])
    return roots


async def _all_units(submissions: ServiceClient, **params: str) -> list[dict[str, Any]]:
    units: list[dict[str, Any]] = []
    while True:
        response = await submissions.get(
            "/api/v1/units", params={**params, "limit": ROWS_PAGE_MAX, "offset": len(units)}
        )
        response.raise_for_status()
        page = response.json()
        units.extend(page["items"])
        if not page["items"] or len(units) >= page["total"]:
            return units


@router.get(PAGE, response_class=HTMLResponse)
async def tree_page(request: Request, user: Admin) -> HTMLResponse:
    async with api(request, user.token) as submissions:
        units = await _all_units(submissions)
    return render_admin(request, "admin_tree.html", user, roots=tree_of(units), total=len(units))


@router.get(PAGE + "/{code}", response_class=HTMLResponse)
async def unit_page(request: Request, user: Admin, code: str) -> HTMLResponse:
    async with api(request, user.token) as submissions:
        found = await submissions.get(f"/api/v1/units/{code}")
        if found.status_code == 404:
            raise HTTPException(404)
        found.raise_for_status()
        unit = found.json()
        children = await _all_units(submissions, parent_code=code)
        parent = None
        if unit["parent_code"]:
            parent = await lookups.get_unit(submissions, unit["parent_code"])
    async with api(request, user.token, "notifications") as notifications:
        listed = await notifications.get("/api/v1/contacts", params={"unit_code": code})
    contacts = items_of(listed)
    officers = sorted((c for c in contacts if c["is_officer"]), key=lambda c: c["full_name"])
    return render_admin(
        request,
        "admin_unit.html",
        user,
        unit=unit,
        parent=parent,
        children=children,
        officers=officers,
        contacts_known=listed.status_code == 200,
        others=len(contacts) - len(officers),
    )
