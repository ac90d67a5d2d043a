"""The initiative council through the portal, on the real system: the federation admin seats
councils in bulk (too few reviewers refused beside the reviewers, then a balanced assignment
shown) and returns another initiative to its authors with a reason; a council member scores
(an out-of-scale score refused beside its criterion, then a valid sheet), the last score of the
council decides, and the initiative leaves the waiting list for "what I scored"; another is
scored on the several-initiative score sheet. Each outcome
checked through scoring's and submissions' APIs; the pages fit 1366 and 390 px. Screenshots in
artifacts/."""

import time
import uuid
from collections import Counter
from datetime import date
from typing import Any

import httpx
from playwright.sync_api import Page, expect

from services.submissions.demo import token
from shared.auth import Role
from tests.browser.portal_steps import (
    horizontal_overflow,
    sign_in,
    snap,
    tab_reaches_main,
    unlabelled_inputs,
    until,
)
from tests.browser.portal_system import PortalSystem

REVIEWER = "CDDKVN-0101"  # the demo's reviewer, Phạm Quốc Bảo, a contact of the federation
OTHERS = ("CDDKVN-0102", "CDDKVN-0103", "CDDKVN-0104")
GOOD = {"novelty": 8, "applicability": 7, "effectiveness": 9, "scope": 6}


def submit(system: PortalSystem, *titles: str) -> list[str]:
    """Initiatives of PVGAS-KCM by member An under these titles, stamped with the time (fresh
    in every run), submitted by the unit's officer; their ids once scoring has queued them."""
    stamp = int(time.time())
    return [_submit_one(system, f"{title} {stamp}") for title in titles]


def _submit_one(system: PortalSystem, title: str) -> str:
    body = {
        "title": title,
        "unit_code": "PVGAS-KCM",
        "field": "technical",
        "problem": "Máy nén khí dừng đột ngột do bộ lọc dầu tắc, không có cảnh báo sớm.",
        "solution": "Lắp cảm biến chênh áp trước và sau bộ lọc, cảnh báo về phòng điều khiển.",
        "authors": [
            {"member_id": "PVGAS-0012", "full_name": "Nguyễn Văn An", "share_percent": 100}
        ],
        "expected_benefit_vnd": 350_000_000,
    }
    with system.api("submissions", "officer-pvgas") as submissions:
        answer = submissions.post(
            "/api/v1/initiatives", json=body, headers={"Idempotency-Key": str(uuid.uuid4())}
        )
    assert answer.status_code == 201, answer.text
    initiative: str = answer.json()["id"]
    with system.api("scoring", "admin") as scoring:
        until(lambda: scoring.get(f"/api/v1/reviews/{initiative}").status_code == 200)
    return initiative


def review(system: PortalSystem, initiative: str) -> dict[str, Any]:
    with system.api("scoring", "admin") as scoring:
        found: dict[str, Any] = scoring.get(f"/api/v1/reviews/{initiative}").json()
    return found


def life(system: PortalSystem, initiative: str) -> str:
    with system.api("submissions", "admin") as submissions:
        status: str = submissions.get(f"/api/v1/initiatives/{initiative}").json()["status"]
    return status


def fits(page: Page, name: str) -> None:
    """No sideways scrolling at 1366 px nor at a phone's 390 px; a screenshot of each."""
    assert horizontal_overflow(page) == 0, f"{name} overflows at 1366 px"
    snap(page, name)
    page.set_viewport_size({"width": 390, "height": 844})
    assert horizontal_overflow(page) == 0, f"{name} overflows at 390 px"
    snap(page, f"{name}-390")
    page.set_viewport_size({"width": 1366, "height": 900})


def test_admin_assigns_councils_in_bulk_and_returns_one_to_its_authors(
    page: Page, system: PortalSystem
) -> None:
    first, second, third = submit(
        system,
        "Cảnh báo sớm tắc lọc dầu máy nén",
        "Cảm biến chênh áp bộ lọc khí",
        "Sáng kiến cần bổ sung số liệu",
    )

    # --- the federation admin ---
    sign_in(page, "admin")
    menu = page.get_by_role("navigation", name="Chức năng")
    expect(menu.get_by_role("link", name="Chấm sáng kiến")).to_have_count(0)
    refused = page.goto("/portal/hoi-dong")
    assert refused is not None and refused.status == 403
    page.goto("/portal")
    menu.get_by_role("link", name="Quản trị").click()
    page.locator(".admin-sections").get_by_role("link", name="Hội đồng sáng kiến").click()
    expect(page.locator("h1")).to_have_text("Phân công hội đồng chấm sáng kiến")
    page.locator("#unit_code").select_option("PVGAS")
    page.locator("#field").select_option("technical")
    page.get_by_role("button", name="Lọc", exact=True).click()
    for initiative in (first, second, third):
        expect(page.locator(f"#review-{initiative}")).to_contain_text("Chưa có")
    assert unlabelled_inputs(page) == []

    # Too few reviewers for councils of three: refused beside the reviewers, the choice kept.
    page.locator(f"#pick-{first}").check()
    page.locator(f"#pick-{second}").check()
    page.locator(f"#reviewer-{REVIEWER}").check()
    page.locator("#typed_reviewers").fill(OTHERS[0])
    expect(page.locator("#per_initiative")).to_have_value("3")
    page.get_by_role("button", name="Phân công hội đồng", exact=True).click()
    expect(page.locator("#reviewer_ids-error")).to_contain_text(
        "Hội đồng cần ít nhất 3 thành viên (không phải tác giả); mới có 2"
    )
    expect(page.locator(f"#pick-{first}")).to_be_checked()
    expect(page.locator(f"#reviewer-{REVIEWER}")).to_be_checked()
    snap(page, "council-assign-refused")

    page.locator("#typed_reviewers").fill(", ".join(OTHERS))
    page.get_by_role("button", name="Phân công hội đồng", exact=True).click()
    result = page.locator("#assigned")
    expect(result).to_contain_text("Đã phân công hội đồng cho 2 sáng kiến")
    expect(result).to_contain_text("Phạm Quốc Bảo")
    councils = {i: review(system, i)["council"] for i in (first, second)}
    # Balanced: four reviewers, six seats; the demo reviewer, first in the pool, on both.
    assert all(len(c) == 3 and REVIEWER in c for c in councils.values()), councils
    seats = Counter(member for council in councils.values() for member in council)
    assert set(seats) == {REVIEWER, *OTHERS} and set(seats.values()) == {1, 2}, seats
    fits(page, "council-assigned")
    assert tab_reaches_main(page), "the skip link is not first"

    # Return the third to its authors: a reason too short refused beside it, then returned.
    row = page.locator(f"#review-{third}")
    row.get_by_text("Trả lại cho tác giả").click()
    row.locator(f"#reason-{third}").fill("Sai")
    row.get_by_role("button", name="Trả lại", exact=True).click()
    row = page.locator(f"#review-{third}")
    expect(row.locator(f"#reason-{third}-error")).to_be_visible()
    reason = "Bổ sung số liệu đo áp suất trước và sau khi lắp"
    row.locator(f"#reason-{third}").fill(reason)
    row.get_by_role("button", name="Trả lại", exact=True).click()
    expect(page.locator(".flash-success")).to_contain_text("Đã trả lại sáng kiến")
    assert review(system, third)["status"] == "returned"
    with system.api("submissions", "admin") as submissions:
        until(
            lambda: (
                submissions.get(f"/api/v1/initiatives/{third}").json()["return_reason"] == reason
            )
        )

    # In English: every word of the page, the councils seated (the list filtered to them).
    page.goto("/portal/quan-tri/hoi-dong?lang=en&state=assigned&unit_code=PVGAS")
    expect(page.locator("h1")).to_have_text("Assign initiative councils")
    expect(page.locator(f"#review-{first}")).to_contain_text("Phạm Quốc Bảo")
    expect(page.locator(f"#review-{first}")).to_contain_text("Technical")
    snap(page, "council-assign-en")
    page.goto("/portal/quan-tri/hoi-dong?lang=vi")


def test_a_council_member_scores_and_the_last_score_decides(
    page: Page, system: PortalSystem
) -> None:
    first, second = submit(
        system, "Cảnh báo sớm tắc lọc dầu máy nén", "Cảm biến chênh áp bộ lọc khí"
    )
    councils = {first: [REVIEWER, *OTHERS[:2]], second: [REVIEWER, OTHERS[0], OTHERS[2]]}
    with system.api("scoring", "admin") as scoring:
        for initiative, council in councils.items():
            seated = scoring.post(
                "/api/v1/reviews/assign",
                json={"initiative_ids": [initiative], "reviewer_ids": council},
            )
            assert seated.status_code == 200, seated.text

    sign_in(page, "reviewer")
    menu = page.get_by_role("navigation", name="Chức năng")
    expect(menu.get_by_role("link", name="Quản trị")).to_have_count(0)
    refused = page.goto("/portal/quan-tri/hoi-dong")
    assert refused is not None and refused.status == 403
    expect(page.locator("main")).to_contain_text("Vai trò của bạn không sử dụng được trang này")
    page.goto("/portal")
    menu.get_by_role("link", name="Chấm sáng kiến").click()
    pending = page.locator(f"#pending-{first}")
    expect(pending).to_contain_text("Kỹ thuật")
    expect(pending).to_contain_text("PVGAS-KCM")
    received = date.fromisoformat(review(system, first)["received_on"])
    expect(pending).to_contain_text(received.strftime("%d/%m/%Y"))
    expect(pending).to_contain_text("350.000.000 ₫")
    expect(page.locator(f"#pending-{second}")).to_be_visible()
    fits(page, "council-waiting")

    # The rest of the first's council scores through the API: the demo reviewer's is the last.
    with httpx.Client(base_url=system.services["scoring"].url, timeout=30) as scoring:
        for member in councils[first]:
            if member != REVIEWER:
                answer = scoring.post(
                    f"/api/v1/reviews/{first}/scores",
                    json={"scores": GOOD, "vote_for": True},
                    headers=token(member, "CDDKVN", Role.REVIEWER),
                )
                assert answer.status_code == 200, answer.text
    assert life(system, first) == "under_review"

    pending.get_by_role("link").click()
    content = page.locator("#content")
    until(lambda: "Lắp cảm biến chênh áp" in content.inner_text(), page)
    expect(page.locator("#authors")).to_contain_text("Nguyễn Văn An")
    expect(page.locator("#criterion-novelty")).to_contain_text("Tính mới (trọng số 30%)")
    expect(page.locator("#criterion-effectiveness")).to_contain_text("Hiệu quả (trọng số 35%)")
    expect(page.locator("#scale-note")).to_contain_text("từ 0 đến 10")
    assert unlabelled_inputs(page) == []
    assert tab_reaches_main(page), "the skip link is not first"

    # Out of scale: refused beside that criterion, what was typed kept.
    for code, score in GOOD.items():
        page.locator(f"#score-{code}").fill(str(score))
    page.locator("#score-novelty").fill("11")
    page.get_by_label("Công nhận", exact=True).check()
    page.get_by_label("Ghi chú riêng").fill("Hiệu quả rõ, cần nhân rộng sang các trạm nén khác.")
    page.get_by_role("button", name="Gửi phiếu chấm").click()
    expect(page.locator("#criterion-novelty .field-error")).to_contain_text(
        "Điểm 11 nằm ngoài thang điểm 0 đến 10"
    )
    expect(page.locator("#criterion-scope .field-error")).to_have_count(0)
    expect(page.locator("#score-novelty")).to_have_value("11")
    fits(page, "council-score-refused")

    # In English the criteria and the scale read in English.
    page.goto(f"/portal/hoi-dong/{first}?lang=en")
    expect(page.locator("#criterion-novelty")).to_contain_text("Novelty (weight 30%)")
    expect(page.locator("#vote_for")).to_contain_text("Do not recognise")
    snap(page, "council-score-en")
    page.goto(f"/portal/hoi-dong/{first}?lang=vi")

    page.locator("#score-novelty").fill("8,5")
    for code in ("applicability", "effectiveness", "scope"):
        page.locator(f"#score-{code}").fill(str(GOOD[code]))
    page.get_by_label("Công nhận", exact=True).check()
    page.get_by_role("button", name="Gửi phiếu chấm").click()
    flash = page.locator(".flash-success")
    expect(flash.first).to_contain_text("Đã ghi nhận phiếu chấm của bạn")
    expect(flash.nth(1)).to_contain_text("Được công nhận")

    # It left the waiting list; it is among what I scored, decided.
    expect(page.locator(f"#pending-{first}")).to_have_count(0)
    expect(page.locator(f"#pending-{second}")).to_be_visible()
    mine = page.locator(f"#mine-{first}")
    expect(mine).to_contain_text("Công nhận")
    expect(mine).to_contain_text("Được công nhận")
    fits(page, "council-decided")
    assert review(system, first)["status"] == "recognised"
    with system.api("submissions", "admin") as submissions:
        until(lambda: life(system, first) == "recognised")
        assert submissions.get(f"/api/v1/initiatives/{first}").json()["decided_on"]

    # The second through the score sheet (several at once, all or none): one row filled.
    page.goto("/portal/hoi-dong/phieu-cham")
    line = page.locator(f"#sheet-{second}")
    for code, score in GOOD.items():
        line.locator(f"input[name$='-{code}']").fill(str(score))
    line.locator("select").select_option("against")
    assert unlabelled_inputs(page) == []
    fits(page, "council-sheet")
    page.get_by_role("button", name="Gửi phiếu chấm").click()
    expect(page.locator(".flash-success").first).to_contain_text(
        "Đã ghi nhận phiếu chấm của bạn cho 1 sáng kiến"
    )
    expect(page.locator(f"#pending-{second}")).to_have_count(0)
    expect(page.locator(f"#mine-{second}")).to_contain_text("Không công nhận")
    assert review(system, second)["scored_by"] == [REVIEWER]
