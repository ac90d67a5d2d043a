"""A member's whole task through the portal, on the real system: submit an initiative, attach a
file, amend, follow its state as a council is seated and returns it (the one life, as
submissions reports it), complete it for round 2, withdraw another, read the inbox and its
unread count, choose email, language and digest; each outcome checked through the services'
APIs. Screenshots in artifacts/."""

import re
import time

from playwright.sync_api import FilePayload, Page, expect

from tests.browser.portal_steps import horizontal_overflow, sign_in, snap, until
from tests.browser.portal_system import PortalSystem

MEMBER = "PVGAS-0012"  # the demo's member-pvgas, Nguyễn Văn An of PVGAS-KCM
PDF: FilePayload = {
    "name": "ban-mo-ta.pdf",
    "mimeType": "application/pdf",
    "buffer": b"%PDF-1.4\n% Ban mo ta sang kien\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n",
}


def submit_as_member(page: Page, title: str) -> str:
    """Submit through the form (the member is its author, prefilled); the new page's id."""
    page.get_by_role("link", name="Nộp sáng kiến").click()
    expect(page.locator("#authors-0-member_id")).to_have_value(MEMBER)
    expect(page.locator("#authors-0-share_percent")).to_have_value("100")
    page.locator("#title").fill(title)
    page.locator("#field").select_option("technical")
    page.locator("#problem").fill("Van an toàn của bình tách phải tháo ra kiểm định mỗi quý.")
    page.locator("#solution").fill("Lắp cụm van kép cho phép kiểm định luân phiên khi vận hành.")
    page.locator("#expected_benefit_vnd").fill("350.000.000")
    page.get_by_role("button", name="Nộp sáng kiến", exact=True).click()
    expect(page.locator(".flash-success")).to_contain_text(f"Đã nộp sáng kiến “{title}”")
    page.get_by_role("link", name=title).click()
    expect(page.locator("h1")).to_have_text(title)
    found = re.search(r"/sang-kien/([0-9a-f-]{36})$", page.url)
    assert found, page.url
    return found.group(1)


def test_member_follows_amends_attaches_withdraws_and_reads_the_inbox(
    page: Page, system: PortalSystem
) -> None:
    sign_in(page, "member-pvgas")
    menu = page.get_by_role("navigation", name="Chức năng")
    account = page.get_by_role("navigation", name="Tài khoản")
    for offered in ("Nộp sáng kiến", "Sáng kiến của tôi"):
        expect(menu.get_by_role("link", name=offered)).to_be_visible()
    for offered in ("Hộp thư", "Cài đặt"):
        expect(account.get_by_role("link", name=re.compile(offered))).to_be_visible()
    for withheld in ("Báo cáo", "Nhập từ tệp", "Đăng ký thi đua", "Đơn thư"):
        expect(menu.get_by_role("link", name=withheld)).to_have_count(0)

    title = f"Van kép kiểm định luân phiên {int(time.time())}"
    initiative = submit_as_member(page, title)
    state = page.locator("#initiative-state")
    expect(state).to_contain_text("Đã nộp")
    expect(state).to_contain_text("350.000.000 ₫")

    # A file: attached, listed, downloaded through the portal.
    page.locator("#file").set_input_files(PDF)
    page.locator("#description").fill("Bản mô tả sáng kiến")
    page.get_by_role("button", name="Tải tệp lên").click()
    expect(page.locator(".flash-success")).to_contain_text("Đã đính kèm tệp ban-mo-ta.pdf")
    with page.expect_download() as download:
        page.locator("#attachment-list").get_by_role("link", name="ban-mo-ta.pdf").click()
    assert download.value.suggested_filename == "ban-mo-ta.pdf"

    # Amend while no council sits: the submission's form, filled with what is stored.
    page.get_by_role("link", name="Sửa sáng kiến").click()
    expect(page.locator("#title")).to_have_value(title)
    expect(page.locator("#expected_benefit_vnd")).to_have_value("350.000.000")
    amended = f"{title} (bổ sung)"
    page.locator("#title").fill(amended)
    page.locator("#expected_benefit_vnd").fill("420.000.000")
    page.get_by_role("button", name="Lưu thay đổi").click()
    expect(page.locator(".flash-success")).to_contain_text("Đã lưu thay đổi")
    expect(page.locator("h1")).to_have_text(amended)
    expect(state).to_contain_text("420.000.000 ₫")
    snap(page, "member-sang-kien")
    with system.api("submissions", "member-pvgas") as submissions:
        stored = submissions.get(f"/api/v1/initiatives/{initiative}").json()
    assert (stored["title"], stored["expected_benefit_vnd"]) == (amended, 420_000_000)

    # A council is seated (an admin, through scoring): the page follows, no more changes.
    with system.api("scoring", "admin") as scoring:
        council = {
            "initiative_ids": [initiative],
            "reviewer_ids": ["CDDKVN-0101", "CDDKVN-0102", "CDDKVN-0103"],
        }
        until(lambda: scoring.post("/api/v1/reviews/assign", json=council).status_code == 200)
    # Not reloaded by the test: the page follows its state by itself (static/live.js).
    expect(state).to_contain_text("Đang xét", timeout=90_000)
    expect(page.get_by_role("link", name="Sửa sáng kiến")).to_have_count(0)
    expect(page.locator("#withdraw-form")).to_have_count(0)

    # The council returns it to be completed: the reason shows, amending is offered again,
    # and the amendment resubmits it for round 2.
    reason = "Bổ sung số liệu đo hiệu quả sau ba tháng vận hành"
    with system.api("scoring", "admin") as scoring:
        returned = scoring.post(f"/api/v1/reviews/{initiative}/return", json={"reason": reason})
    assert returned.status_code == 200, returned.text
    until(lambda: "Trả lại để bổ sung" in state.inner_text(), page)
    expect(state).to_contain_text(reason)
    page.get_by_role("link", name="Sửa sáng kiến").click()
    page.locator("#measured_benefit_vnd").fill("455.000.000")
    page.get_by_role("button", name="Lưu thay đổi").click()
    expect(state).to_contain_text("Đã nộp lại")
    expect(state).to_contain_text("(vòng 2)")
    expect(state).to_contain_text("455.000.000 ₫")
    snap(page, "member-nop-lai")
    with system.api("submissions", "member-pvgas") as submissions:
        stored = submissions.get(f"/api/v1/initiatives/{initiative}").json()
    assert (stored["status"], stored["round"]) == ("resubmitted", 2)

    # A second one, withdrawn: the confirmation is asked for first.
    page.goto("/portal")
    second = f"Sáng kiến sẽ rút {int(time.time())}"
    submit_as_member(page, second)
    page.get_by_role("button", name="Rút sáng kiến").click()
    expect(page.locator("#confirm-error")).to_contain_text("Đánh dấu ô xác nhận")
    page.get_by_label("Tôi xác nhận rút sáng kiến này").check()
    page.get_by_role("button", name="Rút sáng kiến").click()
    expect(page.locator(".flash-success")).to_contain_text(f"Đã rút sáng kiến “{second}”")
    expect(state).to_contain_text("Đã rút")

    # My initiatives: both, with their states; the table fits at 1366 px.
    page.get_by_role("link", name="Sáng kiến của tôi").click()
    expect(page.locator("h1")).to_have_text("Sáng kiến của tôi")
    expect(page.locator("#initiatives tbody tr", has_text=amended)).to_contain_text("Đã nộp lại")
    expect(page.locator("#initiatives tbody tr", has_text=second)).to_contain_text("Đã rút")
    assert horizontal_overflow(page) == 0
    snap(page, "member-cua-toi")

    # The inbox: told of each step, the count in the menu. Each message comes through Kafka on
    # its own time; once all this walk causes are in, the count stays still while it is read.
    told = {  # `title` is in each subject of the first, before and after its amendment
        ("initiative_received", title),
        ("initiative_under_review", title),
        ("initiative_returned", title),
        ("initiative_amended", f"Đã nộp lại sáng kiến «{amended}»"),
        ("initiative_received", second),
        ("initiative_withdrawn", second),
    }

    def told_of_each_step() -> bool:
        with system.api("notifications", "member-pvgas") as notifications:
            inbox = notifications.get("/api/v1/inbox").json()
        return all(
            any(m["trigger"] == trigger and title in m["subject"] for m in inbox)
            for trigger, title in told
        )

    until(told_of_each_step)
    inbox_link = account.get_by_role("link", name=re.compile("Hộp thư"))
    page.reload()
    unread = int(inbox_link.locator(".count").inner_text())
    inbox_link.click()
    first = page.locator("#messages li.unread").first
    expect(first).to_be_visible()
    first.get_by_role("button", name=re.compile("Đánh dấu đã đọc")).click()
    expect(inbox_link.locator(".count")).to_have_text(str(unread - 1))
    snap(page, "member-hop-thu")
    page.get_by_role("button", name="Đánh dấu tất cả đã đọc").click()
    expect(inbox_link.locator(".count")).to_have_count(0)
    with system.api("notifications", "member-pvgas") as notifications:
        assert notifications.get("/api/v1/inbox/unread-count").json() == {"unread": 0}

    # Email, language, digest.
    account.get_by_role("link", name="Cài đặt").click()
    page.get_by_label("Email nhận thông báo").fill("an.nguyenvan@pvgas.example")
    page.get_by_label("English").check()
    page.get_by_label("Gộp thành một email tổng hợp mỗi ngày").check()
    page.get_by_role("button", name="Lưu cài đặt").click()
    expect(page.locator(".flash-success")).to_contain_text("Đã lưu cài đặt thông báo")
    with system.api("notifications", "member-pvgas") as notifications:
        contact = notifications.get("/api/v1/me/contact").json()
    assert (contact["email"], contact["language"], contact["daily_digest"]) == (
        "an.nguyenvan@pvgas.example",
        "en",
        True,
    )
