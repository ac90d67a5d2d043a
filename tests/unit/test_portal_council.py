"""The council member's and the admin's council pages: the pure helpers (reading the score
form, the reviewer pool, the filters), and the pages in process against scoring's and
submissions' apps (a refused out-of-scale score shown beside its criterion)."""

import re
from typing import Any
from uuid import UUID

import httpx
import pytest
from fastapi.testclient import TestClient

from services.portal.client import ServiceClient
from services.portal.lookups import unit_names_of
from services.portal.pages.assignment import form_field as assignment_field
from services.portal.pages.assignment import reviewer_ids, shown
from services.portal.pages.council import (
    form_field,
    my_form,
    read_score_form,
    scoring_rule,
)
from services.portal.pages.council_sheet import read_sheet, sheet_field
from services.submissions.demo import CAMPAIGN, seed_campaign, token
from shared.auth import Role
from shared.campaign.loader import load_campaign
from shared.contracts.lifecycle import VERDICTS, InitiativeStatus
from tests.unit.council_helpers import assign, awaiting_council
from tests.unit.portal_helpers import csrf_of, sign_in


@pytest.fixture
def portal(portal_on_every_service: TestClient, scoring_keeps_the_plan: None) -> TestClient:
    """The portal on every service it calls, scoring keeping the 2022 plan (both in
    tests/unit/conftest.py)."""
    return portal_on_every_service


CODES = ("novelty", "applicability", "effectiveness", "scope")


def test_the_score_form_reads_vietnamese_numbers_and_leaves_the_rest_to_the_api() -> None:
    body, unreadable = read_score_form(
        {
            "score-novelty": "8",
            "score-applicability": "7,5",
            "score-effectiveness": "mười",
            "score-scope": "",
            "vote_for": "against",
            "private_note": "  Cần đo lại hiệu quả  ",
        },
        CODES,
    )
    assert body == {
        "scores": {"novelty": 8, "applicability": 7.5, "effectiveness": "mười"},
        "vote_for": False,
        "private_note": "Cần đo lại hiệu quả",
    }
    assert unreadable == ["score-effectiveness"]
    no_vote, _ = read_score_form({"score-novelty": "9", "vote_for": "maybe"}, ("novelty",))
    assert no_vote == {"scores": {"novelty": 9}}


def test_api_fields_land_beside_their_form_fields() -> None:
    assert form_field("scores.novelty") == "score-novelty"
    assert (form_field("vote_for"), form_field("private_note"), form_field("status")) == (
        "vote_for",
        "private_note",
        "",
    )
    assert assignment_field("reviewer_ids.2") == "reviewer_ids"
    assert assignment_field("initiative_ids") == "initiative_ids"
    assert assignment_field("per_initiative") == "per_initiative"


def test_the_campaigns_rule_as_the_form_shows_it() -> None:
    campaign = load_campaign(CAMPAIGN)
    rule = scoring_rule({"definition": campaign.model_dump(mode="json")})
    assert rule is not None
    assert [(c.code, c.weight_percent) for c in rule.criteria] == [
        ("novelty", "30"),
        ("applicability", "25"),
        ("effectiveness", "35"),
        ("scope", "10"),
    ]
    assert (rule.scale_min, rule.scale_max, rule.min_members) == ("0", "10", 3)
    assert scoring_rule(None) is None
    recorded = {"my_scores": {"novelty": 7.5}, "my_vote_for": True, "my_note": None}
    assert my_form(recorded) == {"score-novelty": "7,5", "vote_for": "for", "private_note": ""}


def test_the_reviewer_pool_ticked_then_typed_each_once() -> None:
    assert reviewer_ids(["CDDKVN-0101"], "CDDKVN-0102, CDDKVN-0103\nCDDKVN-0101;  ") == [
        "CDDKVN-0101",
        "CDDKVN-0102",
        "CDDKVN-0103",
    ]
    assert reviewer_ids([], " ") == []


def test_the_filters_keep_what_they_say() -> None:
    reviews: list[dict[str, Any]] = [
        {"unit_code": "PVGAS-KCM", "field": "technical", "council": []},
        {"unit_code": "BSR", "field": "technical", "council": ["A", "B", "C"]},
        {"unit_code": "PVGAS", "field": "safety", "council": []},
    ]
    assert shown(reviews, "unassigned", None, "") == [reviews[0], reviews[2]]
    assert shown(reviews, "assigned", None, "") == [reviews[1]]
    assert shown(reviews, "all", {"PVGAS", "PVGAS-KCM"}, "technical") == [reviews[0]]


def _assign(
    portal: TestClient, page: httpx.Response, initiative: UUID, typed: str
) -> httpx.Response:
    """The admin's council form sent for one initiative, three members each, reviewers typed."""
    answer: httpx.Response = portal.post(
        "/portal/quan-tri/hoi-dong",
        data={
            "initiative_ids": str(initiative),
            "typed_reviewers": typed,
            "per_initiative": "3",
            "_csrf": csrf_of(page),
        },
    )
    return answer


def test_an_out_of_scale_score_is_refused_beside_its_criterion(
    portal: TestClient, scoring: TestClient, submissions: TestClient
) -> None:
    seed_campaign(submissions)  # the criteria and the scale the form shows
    initiative = awaiting_council(scoring)
    assert assign(scoring, initiative, ["CDDKVN-0101", "HD-2", "HD-3"]).status_code == 200
    assert sign_in(portal, "reviewer").status_code == 303

    listed = portal.get("/portal/hoi-dong")
    assert listed.status_code == 200 and f'id="pending-{initiative}"' in listed.text
    page = portal.get(f"/portal/hoi-dong/{initiative}")
    assert page.status_code == 200, page.text
    assert "Tính mới (trọng số 30%)" in page.text and "từ 0 đến 10" in page.text
    form = {f"score-{code}": "8" for code in CODES}
    refused = portal.post(
        f"/portal/hoi-dong/{initiative}/cham",
        data={**form, "score-novelty": "11", "vote_for": "for", "_csrf": csrf_of(page)},
    )
    assert refused.status_code == 422
    beside = refused.text.split('id="criterion-novelty"', 1)[1].split('id="criterion-', 1)[0]
    assert "Điểm 11 nằm ngoài thang điểm 0 đến 10" in beside
    assert 'value="11"' in beside  # what was typed stays

    # No vote and a score in words: both named, each beside its field.
    unread = portal.post(
        f"/portal/hoi-dong/{initiative}/cham",
        data={**form, "score-scope": "tám", "_csrf": csrf_of(page), "_lang": "en"},
    )
    assert unread.status_code == 422
    vote = unread.text.split('id="vote_for-error"', 1)[1].split("</div>", 1)[0]
    assert "required" in vote.lower() or "Choose to recognise it or not" in vote
    scope = unread.text.split('id="score-scope-error"', 1)[1].split("</div>", 1)[0]
    assert "Not a valid number" in scope

    done = portal.post(
        f"/portal/hoi-dong/{initiative}/cham",
        data={**form, "vote_for": "for", "_csrf": csrf_of(page)},
        follow_redirects=False,
    )
    assert done.status_code == 303
    after = portal.get("/portal/hoi-dong").text
    assert f'id="pending-{initiative}"' not in after and f'id="mine-{initiative}"' in after
    reviewer = token("CDDKVN-0101", "CDDKVN", Role.REVIEWER)
    assert scoring.get(f"/api/v1/reviews/{initiative}", headers=reviewer).json()["scored_by"] == [
        "CDDKVN-0101"
    ]


def test_too_few_reviewers_is_refused_in_the_admins_language(
    portal: TestClient, scoring: TestClient
) -> None:
    initiative = awaiting_council(scoring)
    assert sign_in(portal, "admin").status_code == 303
    page = portal.get("/portal/quan-tri/hoi-dong?lang=en")
    assert page.status_code == 200 and f'id="review-{initiative}"' in page.text
    refused = _assign(portal, page, initiative, "HD-1, HD-2")
    assert refused.status_code == 422
    assert "A council needs at least 3 members (not authors); got 2" in refused.text
    assigned = _assign(portal, page, initiative, "HD-1, HD-2, HD-3")
    assert assigned.status_code == 200 and "Councils assigned for 1 initiative(s)" in assigned.text
    admin = token("CDDKVN-0001", "CDDKVN", Role.FEDERATION_ADMIN)
    council = scoring.get(f"/api/v1/reviews/{initiative}", headers=admin).json()["council"]
    assert council == ["HD-1", "HD-2", "HD-3"]


def test_an_author_among_the_reviewers_is_never_seated_and_the_refusal_says_so(
    portal: TestClient, scoring: TestClient
) -> None:
    initiative = awaiting_council(scoring)  # by member An, PVGAS-0012
    assert sign_in(portal, "admin").status_code == 303
    page = portal.get("/portal/quan-tri/hoi-dong")
    refused = _assign(portal, page, initiative, "PVGAS-0012, HD-1, HD-2")
    assert refused.status_code == 422
    beside = refused.text.split('id="reviewer_ids-error"', 1)[1].split("</div>", 1)[0]
    assert "Hội đồng cần ít nhất 3 thành viên (không phải tác giả); mới có 2" in beside
    assert "PVGAS-0012, HD-1, HD-2</textarea>" in refused.text  # what was typed stays


def test_a_reviewer_off_the_council_finds_no_such_initiative(
    portal: TestClient, scoring: TestClient
) -> None:
    initiative = awaiting_council(scoring)
    assert assign(scoring, initiative, ["HD-1", "HD-2", "HD-3"]).status_code == 200
    assert sign_in(portal, "reviewer").status_code == 303
    assert f'id="pending-{initiative}"' not in portal.get("/portal/hoi-dong").text
    assert portal.get(f"/portal/hoi-dong/{initiative}").status_code == 404


def test_the_sheet_reads_its_rows_and_leaves_blank_ones_out() -> None:
    form = {
        "row-0": "a",
        "s-0-novelty": "8",
        "s-0-scope": "6,5",
        "vote-0": "for",
        "row-1": "b",
        "s-1-novelty": "",
        "s-1-scope": "",
        "vote-1": "",
        "row-2": "c",
        "s-2-novelty": "chín",
        "s-2-scope": "7",
    }
    items, rows, unreadable = read_sheet(form, ("novelty", "scope"))
    assert items == [
        {"initiative_id": "a", "scores": {"novelty": 8, "scope": 6.5}, "vote_for": True},
        {"initiative_id": "c", "scores": {"novelty": "chín", "scope": 7}},
    ]
    assert (rows, unreadable) == ([0, 2], ["s-2-novelty"])
    assert sheet_field("items.1.scores.scope", rows) == "s-2-scope"
    assert sheet_field("items.1.vote_for", rows) == "vote-2"
    assert sheet_field("items.0.reviewer_id", rows) == "row-0"
    assert (sheet_field("items", rows), sheet_field("items.7.vote_for", rows)) == ("", "")


def test_a_sheet_refused_beside_its_cell_then_recorded_row_by_row(
    portal: TestClient, scoring: TestClient, submissions: TestClient
) -> None:
    seed_campaign(submissions)
    first, second = awaiting_council(scoring), awaiting_council(scoring)
    for initiative in (first, second):
        assert assign(scoring, initiative, ["CDDKVN-0101", "HD-2", "HD-3"]).status_code == 200
    assert sign_in(portal, "reviewer").status_code == 303
    page = portal.get("/portal/hoi-dong/phieu-cham")
    assert page.status_code == 200
    rows = dict(re.findall(r'name="(row-\d+)" value="([0-9a-f-]{36})"', page.text))
    row = {v: k.removeprefix("row-") for k, v in rows.items()}
    n, m = row[str(first)], row[str(second)]
    sheet = {f"s-{n}-{code}": "8" for code in CODES} | {f"vote-{n}": "for"}
    sheet |= {f"s-{m}-{code}": "" for code in CODES} | {f"vote-{m}": ""}

    refused = portal.post(
        "/portal/hoi-dong/phieu-cham",
        data={**rows, **sheet, f"s-{n}-scope": "12", "_csrf": csrf_of(page)},
    )
    assert refused.status_code == 422
    beside = refused.text.split(f'id="s-{n}-scope-error"', 1)[1].split("</div>", 1)[0]
    assert "Điểm 12 nằm ngoài thang điểm 0 đến 10" in beside

    done = portal.post(
        "/portal/hoi-dong/phieu-cham",
        data={**rows, **sheet, "_csrf": csrf_of(page)},
        follow_redirects=False,
    )
    assert done.status_code == 303
    listed = portal.get("/portal/hoi-dong").text
    assert f'id="mine-{first}"' in listed and f'id="pending-{second}"' in listed
    assert f'id="pending-{first}"' not in listed


def test_the_last_score_of_a_council_is_told_its_verdict(
    portal: TestClient, scoring: TestClient, submissions: TestClient
) -> None:
    """When the last member scores, the council's verdict (VERDICTS: recognised or not) is
    said with the thanks; a return would be neither."""
    assert {InitiativeStatus.recognised, InitiativeStatus.not_recognised} == VERDICTS
    seed_campaign(submissions)
    initiative = awaiting_council(scoring)
    assert assign(scoring, initiative, ["CDDKVN-0101", "HD-2", "HD-3"]).status_code == 200
    form = {f"score-{code}": "8" for code in CODES} | {"vote_for": "for"}
    body, _ = read_score_form(form, CODES)
    for member in ("HD-2", "HD-3"):
        scored = scoring.post(
            f"/api/v1/reviews/{initiative}/scores",
            json=body,
            headers=token(member, "CDDKVN", Role.REVIEWER),
        )
        assert scored.status_code == 200, scored.text
    assert sign_in(portal, "reviewer").status_code == 303
    page = portal.get(f"/portal/hoi-dong/{initiative}")
    done = portal.post(f"/portal/hoi-dong/{initiative}/cham", data={**form, "_csrf": csrf_of(page)})
    assert done.status_code == 200
    assert "Hội đồng đã chấm đủ: Được công nhận." in done.text


def test_the_waiting_list_and_the_review_name_the_unit_as_its_people_do(
    portal: TestClient, scoring: TestClient, submissions: TestClient
) -> None:
    seed_campaign(submissions)
    initiative = awaiting_council(scoring)  # of PVGAS-KCM, a unit of the seeded tree
    assert assign(scoring, initiative, ["CDDKVN-0101", "HD-2", "HD-3"]).status_code == 200
    assert sign_in(portal, "reviewer").status_code == 303
    reviewer = token("CDDKVN-0101", "CDDKVN", Role.REVIEWER)
    name = submissions.get("/api/v1/units/PVGAS-KCM", headers=reviewer).json()["name"]
    named = f'{name} <span class="muted"><code>PVGAS-KCM</code></span>'

    listed = portal.get("/portal/hoi-dong").text
    row = listed.split(f'id="pending-{initiative}"', 1)[1].split("</tr>", 1)[0]
    assert named in row
    review = portal.get(f"/portal/hoi-dong/{initiative}").text
    assert f'id="review-unit">{named}</dd>' in review
    sheet = portal.get("/portal/hoi-dong/phieu-cham").text
    assert f'id="row-0-unit">{named}</span>' in sheet

    form = {f"score-{code}": "8" for code in CODES}
    scored = portal.post(
        f"/portal/hoi-dong/{initiative}/cham",
        data={
            **form,
            "vote_for": "for",
            "_csrf": csrf_of(portal.get(f"/portal/hoi-dong/{initiative}")),
        },
        follow_redirects=False,
    )
    assert scored.status_code == 303, scored.text
    mine = portal.get("/portal/hoi-dong").text  # what they scored, each with its unit too
    assert f'id="mine-{initiative}-unit">{named}</span>' in mine


async def test_a_unit_whose_lookup_fails_is_shown_by_its_code_and_the_page_still_is() -> None:
    def submissions(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/api/v1/units/PVGAS":
            return httpx.Response(200, json={"code": "PVGAS", "name": "Công đoàn PV GAS"})
        if request.url.path == "/api/v1/units/BSR":
            return httpx.Response(503)  # submissions down for this one
        return httpx.Response(404)

    transport = httpx.MockTransport(submissions)
    async with httpx.AsyncClient(base_url="http://submissions", transport=transport) as http:
        client = ServiceClient("submissions", http, token=None)
        names = await unit_names_of(client, ["PVGAS", "BSR", "PVGAS", "NONE"])
    assert names == {"PVGAS": "Công đoàn PV GAS"}
