"""Builders for the end-to-end tests: what a test needs in place before it asks its question,
made through the services' public APIs on the module's running system. Each builds a campaign
of its own (the 2022 file under a fresh code, its phase 1 named after it) and units of its own,
so a test that uses them passes alone or in any order beside the others."""

from dataclasses import dataclass
from functools import partial
from typing import Any
from uuid import uuid4

import httpx

from services.submissions.demo import token
from shared.auth import Role
from tests.e2e.conftest import ADMIN, add_grassroots_unit, initiative_body
from tests.support.infrastructure import REPO
from tests.support.polling import eventually
from tests.support.services import ServiceProcess

System = dict[str, ServiceProcess]
ADMIN_ID = "CDDKVN-0001"
SCORES = {"novelty": 9, "applicability": 9, "effectiveness": 9, "scope": 9}
CLOSED_ON = "2022-07-08"  # the sơ kết, after phase 1's last day (30/06/2022)


async def call(method: str, url: str, headers: dict[str, str], **kwargs: Any) -> Any:
    """The JSON of a request that must succeed (200 or 201)."""
    async with httpx.AsyncClient(timeout=15) as client:
        response = await client.request(method, url, headers=headers, **kwargs)
    assert response.status_code in (200, 201), f"{method} {url}: {response.text}"
    return response.json()


async def get_json(url: str, headers: dict[str, str] = ADMIN, **params: Any) -> Any:
    async with httpx.AsyncClient(timeout=15) as client:
        response = await client.get(url, params=params, headers=headers)
    response.raise_for_status()
    return response.json()


async def get_json_if_known(url: str, **params: Any) -> Any:
    """GET `url` as an admin; None while it answers 404: reporting names a campaign unknown
    until the event publishing it has arrived, which another topic's events may precede."""
    async with httpx.AsyncClient(timeout=15) as client:
        response = await client.get(url, params=params, headers=ADMIN)
    if response.status_code == 404:
        return None
    response.raise_for_status()
    return response.json()


def new_member() -> str:
    return f"M-{uuid4().hex[:6]}"


async def new_campaign(system: System) -> tuple[str, str]:
    """The 2022 plan under a fresh code, phase 1 named after it and open: (code, phase name)."""
    code = f"e{uuid4().hex[:8]}"
    phase_name = f"Đợt 1 ({code})"
    text = (REPO / "campaigns" / "2022.yaml").read_text(encoding="utf-8")
    text = text.replace('code: "2022"', f'code: "{code}"', 1)
    text = text.replace(
        "  - code: dot-1\n    name: Đợt 1\n", f"  - code: dot-1\n    name: {phase_name}\n"
    )
    submissions = system["submissions"].url
    await call(
        "POST",
        f"{submissions}/api/v1/campaigns",
        {**ADMIN, "content-type": "application/yaml"},
        content=text.encode(),
    )
    await call("POST", f"{submissions}/api/v1/campaigns/{code}/phases/dot-1/open", ADMIN)
    await call(
        "PUT",
        f"{system['notifications'].url}/api/v1/contacts/{ADMIN_ID}",
        ADMIN,
        json={"full_name": "Nguyễn Thị Quản Trị", "unit_code": "CDDKVN", "is_officer": True},
    )
    return code, phase_name


async def register(system: System, campaign: str, unit: str, movements: list[str]) -> None:
    """`unit` registers for `movements` in `campaign`'s phase 1, and the federation approves."""
    submissions, officer = system["submissions"].url, token(f"{unit}-CB01", unit, Role.UNIT_OFFICER)
    registration = await call(
        "POST",
        f"{submissions}/api/v1/registrations",
        officer,
        json={
            "campaign_code": campaign,
            "phase_code": "dot-1",
            "unit_code": unit,
            "movement_codes": movements,
        },
    )
    base = f"{submissions}/api/v1/registrations/{registration['id']}"
    await call("POST", f"{base}/submit", officer)
    await call("POST", f"{base}/approve", ADMIN)


async def recognised_authors(
    system: System, campaign: str, members: list[str], parent: str = "PVCFC"
) -> str:
    """A grassroots union of its own below `parent`, registered for the initiatives programme,
    whose members each author an initiative the council recognises (9/10, unanimously): its
    code."""
    unit = f"E2E-{uuid4().hex[:8].upper()}"
    submissions, scoring = system["submissions"].url, system["scoring"].url
    await add_grassroots_unit(submissions, unit, "Công đoàn thử khen thưởng", parent)
    await register(system, campaign, unit, ["01-trieu-sang-kien"])
    for member in members:
        await recognise(scoring, await submit(submissions, campaign, unit, member), unit)
    return unit


async def submit(submissions: str, campaign: str, unit: str, member: str, **changes: Any) -> str:
    """`member`'s initiative (theirs alone) as `unit`'s officer submits it in `campaign`, to
    submissions at the URL `submissions`: its id."""
    body = {"campaign_code": campaign, "title": f"Tối ưu vận hành lò hơi ({member})", **changes}
    officer = token(f"{unit}-CB01", unit, Role.UNIT_OFFICER)
    url = f"{submissions}/api/v1/initiatives"
    initiative = await call(
        "POST", url, officer, json=initiative_body(unit, member, member, **body)
    )
    return str(initiative["id"])


async def recognise(scoring: str, initiative: str, unit: str, timeout: float = 30.0) -> None:
    """Once scoring (at `scoring`) has queued `unit`'s `initiative`, a council of three seated
    and unanimous (9/10): recognised."""
    await eventually(
        partial(get_json, f"{scoring}/api/v1/reviews/pending", unit_code=unit),
        partial(pending, initiative),
        timeout=timeout,
    )
    reviewers = [f"HD-{uuid4().hex[:4]}-{n}" for n in range(3)]
    await call(
        "POST",
        f"{scoring}/api/v1/reviews/assign",
        ADMIN,
        json={"initiative_ids": [initiative], "reviewer_ids": reviewers},
    )
    for reviewer in reviewers:
        scored = await call(
            "POST",
            f"{scoring}/api/v1/reviews/{initiative}/scores",
            token(reviewer, "CDDKVN", Role.REVIEWER),
            json={"scores": SCORES, "vote_for": True},
        )
    assert scored["status"] == "recognised"


def pending(initiative_id: str, items: list[dict[str, Any]]) -> bool:
    return initiative_id in {item["initiative_id"] for item in items}


async def initiatives_counted_by_scoring(system: System, campaign: str, count: int) -> Any:
    """Scoring's progress on `campaign`'s phase 1 once its target 7 counts `count` initiatives
    (it has then applied the registrations before them too)."""
    return await eventually(
        lambda: get_json(f"{system['scoring'].url}/api/v1/progress/{campaign}/dot-1"),
        lambda progress: progress["targets"][6]["achieved"] >= count,  # target 7: initiatives
        timeout=60,
    )


async def close_phase_1(system: System, campaign: str) -> None:
    await call(
        "POST",
        f"{system['submissions'].url}/api/v1/campaigns/{campaign}/phases/dot-1/close",
        ADMIN,
        json={"closed_on": CLOSED_ON},
    )


async def proposals(system: System, campaign: str, members: list[str]) -> dict[str, Any]:
    """Each member's award of phase 1, once scoring has proposed one for every member."""

    def of_members(awards: list[dict[str, Any]]) -> dict[str, Any]:
        return {
            a["grant"]["recipient_id"]: a for a in awards if a["grant"]["recipient_id"] in members
        }

    awards = await eventually(
        lambda: get_json(
            f"{system['scoring'].url}/api/v1/awards", campaign_code=campaign, phase_code="dot-1"
        ),
        lambda awards: len(of_members(awards)) == len(members),
        timeout=60,
    )
    return of_members(awards)


@dataclass(frozen=True)
class ClosedPhase:
    """A campaign of its own whose phase 1 is closed: one grassroots union, registered and
    approved, whose members' initiatives were all recognised, each member proposed an award."""

    campaign: str
    parent: str  # the affiliated union the grassroots union is below
    unit: str
    members: list[str]
    awards: dict[str, Any]  # each member's proposed award


async def closed_phase(system: System, parent: str = "BSR", authors: int = 2) -> ClosedPhase:
    campaign, _ = await new_campaign(system)
    members = [new_member() for _ in range(authors)]
    unit = await recognised_authors(system, campaign, members, parent)
    # Scoring has the registration and every initiative before the phase closes.
    await initiatives_counted_by_scoring(system, campaign, authors)
    await close_phase_1(system, campaign)
    awards = await proposals(system, campaign, members)
    return ClosedPhase(campaign, parent, unit, members, awards)


async def standings_reached_reporting(system: System, campaign: str) -> None:
    """Once reporting shows `campaign`'s phase 1 league as scoring published it at the close:
    every affiliated union ranked (the standings arrive one event a unit)."""
    reporting = system["reporting"].url
    summary = await eventually(
        lambda: get_json_if_known(f"{reporting}/api/v1/summary/{campaign}"),
        lambda known: known is not None,
        timeout=60,
    )
    affiliated = len(summary["initiatives"]["by_unit"])
    await eventually(
        lambda: get_json(f"{reporting}/api/v1/league/{campaign}/dot-1", limit=500),
        lambda league: league["closed"] and league["total"] == len(league["rows"]) == affiliated,
        timeout=60,
    )
