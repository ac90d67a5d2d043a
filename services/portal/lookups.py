"""What several pages read from the API: the campaign, its phases and movements, the units."""

import asyncio
from collections.abc import Iterable
from datetime import date
from typing import Any

from services.portal.client import ServiceClient, ServiceUnavailable, page_items_of
from shared.contracts.bounds import ROWS_PAGE_MAX
from shared.contracts.vocabulary import PhaseStatus
from shared.settings import default_campaign_code


def iso_date(text: str) -> date:
    """An API's date (2022-04-05, or a datetime's first ten characters)."""
    return date.fromisoformat(text[:10])


def campaign_code() -> str:
    """The campaign the pages mean: `THIDUA_CAMPAIGN_CODE`, the one setting every service
    reads (the portal had a `PORTAL_CAMPAIGN_CODE` of its own, which a deployment that set
    the shared one left on 2022)."""
    return default_campaign_code()


async def get_campaign(client: ServiceClient, code: str) -> dict[str, Any] | None:
    """GET /api/v1/campaigns/{code}, or None if it is not published."""
    response = await client.get(f"/api/v1/campaigns/{code}")
    if response.status_code == 404:
        return None
    response.raise_for_status()
    body: dict[str, Any] = response.json()
    return body


async def get_unit(client: ServiceClient, code: str) -> dict[str, Any] | None:
    """GET /api/v1/units/{code}, or None if it does not answer with the unit (no such unit, or
    an error): the page is shown without it."""
    response = await client.get(f"/api/v1/units/{code}")
    unit: dict[str, Any] | None = response.json() if response.status_code == 200 else None
    return unit


UNIT_LOOKUPS_AT_ONCE = 8


async def unit_names_of(client: ServiceClient, codes: Iterable[str]) -> dict[str, str]:
    """The names of the units `codes`, each asked once and all at once (a list names a few
    units many times), at most `UNIT_LOOKUPS_AT_ONCE` at a time (a reviewer's list of what
    they scored may name a hundred units). A name is a nicety beside the code: a unit whose
    lookup fails, even with submissions down, is left out and shown by its code, and the page
    is still shown."""
    at_once = asyncio.Semaphore(UNIT_LOOKUPS_AT_ONCE)

    async def name_of(code: str) -> str | None:
        try:
            async with at_once:
                unit = await get_unit(client, code)
        except ServiceUnavailable:
            return None
        return str(unit["name"]) if unit else None

    distinct = sorted(set(codes))
    found = await asyncio.gather(*(name_of(code) for code in distinct))
    return {code: name for code, name in zip(distinct, found, strict=True) if name}


async def name_units(client: ServiceClient, rows: Iterable[dict[str, Any]]) -> None:
    """Each row (an initiative, a review) given its unit's name, `unit_name`, beside its
    `unit_code`: None where it could not be read (`unit_names_of`)."""
    listed = list(rows)
    names = await unit_names_of(client, (row["unit_code"] for row in listed))
    for row in listed:
        row["unit_name"] = names.get(row["unit_code"])


def phases(campaign: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The phases with their status and dates (API) and their name (campaign file)."""
    if campaign is None:
        return []
    named = {p["code"]: p for p in campaign["definition"]["phases"]}
    # The file names phases in Vietnamese ("Đợt 1"), in English too where it gives `name_en`;
    # where it does not, they are numbered in English.
    return [
        {
            **p,
            "name": named.get(p["code"], {}).get("name", p["code"]),
            "name_en": named.get(p["code"], {}).get("name_en") or f"Phase {p['position']}",
        }
        for p in campaign["phases"]
    ]


def phase_labels(campaign: dict[str, Any] | None) -> dict[str, tuple[str, str]]:
    """Each phase code with its Vietnamese and English name."""
    return {p["code"]: (p["name"], p["name_en"]) for p in phases(campaign)}


def open_phases(campaign: dict[str, Any] | None) -> list[dict[str, Any]]:
    return [p for p in phases(campaign) if p["status"] == PhaseStatus.open]


def movements(campaign: dict[str, Any] | None) -> list[dict[str, Any]]:
    return list(campaign["definition"]["movements"]) if campaign else []


def award_names(campaign: dict[str, Any] | None) -> dict[str, str]:
    """An award's name as the events carry it (the file's Vietnamese, of its type or rule) ->
    its English name, where the campaign file gives one."""
    awards = (campaign or {}).get("definition", {}).get("awards", {})
    named = [*awards.get("types", ()), *awards.get("rules", ())]
    return {item["name"]: item["name_en"] for item in named if item.get("name_en")}


def report_figures(campaign: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The figures a report states: those of the targets whose indicator names one."""
    if campaign is None:
        return []
    return [
        {
            "figure": target["indicator"]["figure"],
            "label": target["indicator"].get("figure_label") or target["name"],
            "label_en": target["indicator"].get("figure_label_en") or "",
            "number": target["number"],
        }
        for target in campaign["definition"]["targets"]
        if target.get("indicator", {}).get("figure")
    ]


async def units_under(client: ServiceClient, unit_code: str) -> list[dict[str, Any]]:
    """The unit and its subtree, in tree order (those a person may choose on a form)."""
    response = await client.get(
        "/api/v1/units", params={"under": unit_code, "limit": ROWS_PAGE_MAX}
    )
    return page_items_of(response)


async def phase_page_context(client: ServiceClient, unit_code: str) -> dict[str, Any]:
    """What the pages a unit fills in for a phase (registrations, reports) show around their
    own list: the campaign, its open phases (the first one is the form's default) and their
    names, and the units the officer may choose."""
    code = campaign_code()
    campaign = await get_campaign(client, code)
    units = await units_under(client, unit_code)
    opened = open_phases(campaign)
    return {
        "campaign_code": code,
        "campaign": campaign,
        "open_phases": opened,
        "first_open_phase": opened[0]["code"] if opened else "",
        "phase_labels": phase_labels(campaign),
        "units": units,
        "unit_names": unit_names(units),
    }


def unit_names(units: list[dict[str, Any]]) -> dict[str, str]:
    return {u["code"]: u["name"] for u in units}
