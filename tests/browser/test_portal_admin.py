"""The federation admin's pages through the portal, on the real system: a refused campaign
file shown line by line with its problems beside their lines, then the file published; a phase
opened, refused closing early, closed by force with a reason; the union tree opened and a
unit's page with its officers; the award proposals of the closed phase decided as far as the
system's data allows; a webhook subscriber registered (its secret shown once), its secret
rotated, deactivated, the delivery log filtered; a contact edited. Each outcome checked through
the services' APIs; every admin page without sideways scrolling at 1366 and 390 px."""

import re
from pathlib import Path

from playwright.sync_api import FilePayload, Page, expect

from tests.browser.portal_steps import (
    horizontal_overflow,
    sign_in,
    snap,
    tab_reaches_main,
    unlabelled_inputs,
)
from tests.browser.portal_system import PortalSystem

GOOD = (Path(__file__).resolve().parents[2] / "campaigns" / "examples" / "2023.yaml").read_text()
# A date written the Vietnamese way where the file takes ISO: refused at phases[0].ends_on.
BAD = GOOD.replace("    ends_on: 2023-04-30", "    ends_on: 30/04/2023", 1)
BAD_LINE = next(n for n, line in enumerate(BAD.splitlines(), 1) if "30/04/2023" in line)
ADMIN_PAGES = (
    "/portal/quan-tri",
    "/portal/quan-tri/ke-hoach",
    "/portal/quan-tri/don-vi",
    "/portal/quan-tri/don-vi/PVGAS",
    "/portal/quan-tri/khen-thuong",
    "/portal/quan-tri/webhook",
    "/portal/quan-tri/lien-he?unit=PVGAS",
)


def _yaml(name: str, text: str) -> FilePayload:
    return {"name": name, "mimeType": "application/yaml", "buffer": text.encode()}


WIDER = """() => [...document.querySelectorAll('body *')]
    .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
    .slice(-5).map((el) => el.tagName + '.' + el.className + '#' + el.id)"""


def _no_overflow(page: Page, name: str) -> None:
    for width, height in ((1366, 768), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        assert horizontal_overflow(page) == 0, (
            f"{name} scrolls sideways at {width} px: {page.evaluate(WIDER)}"
        )
    page.set_viewport_size({"width": 1366, "height": 900})


def test_admin_publishes_a_campaign_and_opens_and_closes_its_phase(
    page: Page, system: PortalSystem
) -> None:
    sign_in(page, "admin")
    page.locator(".menu-wide").get_by_role("link", name="Quản trị").click()
    page.locator(".admin-sections").get_by_role("link", name="Kế hoạch và đợt thi đua").click()
    expect(page.locator("h1")).to_have_text("Kế hoạch và đợt thi đua")

    page.locator("#campaign_file").set_input_files(_yaml("ke-hoach-2023.yaml", BAD))
    page.get_by_role("button", name="Ban hành", exact=True).click()
    expect(page.locator(".error-summary")).to_contain_text("Tệp kế hoạch thi đua không hợp lệ")
    # The summary leads to the first line with a problem.
    page.locator(".error-summary").get_by_role("link", name=re.compile("1 lỗi")).click()
    expect(page).to_have_url(re.compile(f"#line-{BAD_LINE}$"))
    wrong = page.locator(f"#line-{BAD_LINE}")
    expect(wrong).to_have_class(re.compile("has-problem"))
    expect(wrong.locator(".line-text")).to_have_text("    ends_on: 30/04/2023")
    expect(wrong.locator(".line-problem")).to_contain_text("phases[0].ends_on")
    expect(page.locator(f"#line-{BAD_LINE - 1}")).not_to_have_class(re.compile("has-problem"))
    assert unlabelled_inputs(page) == []
    _no_overflow(page, "the refused file")
    snap(page, "admin-ke-hoach-loi")
    page.set_viewport_size({"width": 390, "height": 844})
    snap(page, "admin-ke-hoach-loi-390")
    page.set_viewport_size({"width": 1366, "height": 900})
    with system.api("submissions", "admin") as submissions:
        assert submissions.get("/api/v1/campaigns/2023").status_code == 404

    page.locator("#campaign_file").set_input_files(_yaml("ke-hoach-2023.yaml", GOOD))
    page.get_by_role("button", name="Ban hành", exact=True).click()
    expect(page.locator(".flash-success")).to_have_text("Đã ban hành kế hoạch thi đua 2023.")

    row = page.locator("#phase-2023-dot-1")
    expect(row).to_contain_text("Chưa mở")
    row.get_by_role("button", name=re.compile("Mở đợt")).click()
    expect(page.locator(".flash-success")).to_have_text("Đã mở dot-1 của kế hoạch 2023.")
    expect(row).to_contain_text("Đang mở")

    # Closing before the phase's last day, not forced: refused, said beside the form.
    row.locator("summary").click()
    row.get_by_label("Ngày đóng đợt (dd/mm/yyyy)").fill("15/03/2023")
    row.get_by_role("button", name="Đóng đợt", exact=True).click()
    expect(row.locator(".error-summary")).to_be_visible()
    expect(row.get_by_label("Ngày đóng đợt (dd/mm/yyyy)")).to_have_value("15/03/2023")
    snap(page, "admin-dong-dot-tu-choi")
    row.get_by_label("Đóng sớm, trước ngày kết thúc của đợt").check()
    reason = "Sơ kết sớm theo chỉ đạo của Ban Thường vụ"
    row.get_by_label("Lý do đóng sớm").fill(reason)
    row.get_by_role("button", name="Đóng đợt", exact=True).click()
    expect(page.locator(".flash-success")).to_have_text("Đã đóng dot-1 của kế hoạch 2023.")
    expect(row).to_contain_text("Đóng ngày 15/03/2023")
    snap(page, "admin-ke-hoach")

    with system.api("submissions", "admin") as submissions:
        [phase] = [
            p
            for p in submissions.get("/api/v1/campaigns/2023").json()["phases"]
            if p["code"] == "dot-1"
        ]
    assert (phase["status"], phase["closed_on"], phase["close_reason"]) == (
        "closed",
        "2023-03-15",
        reason,
    )
    page.goto("/portal/quan-tri/ke-hoach?lang=en")
    expect(page.locator("h1")).to_have_text("Campaigns and phases")
    expect(page.locator("#phase-2023-dot-1")).to_contain_text("Closed on 15/03/2023")
    page.goto("/portal/quan-tri/ke-hoach?lang=vi")


def test_admin_opens_the_tree_and_a_units_page(page: Page, system: PortalSystem) -> None:
    sign_in(page, "admin")
    page.goto("/portal/quan-tri/don-vi")
    tree = page.locator("#tree")
    pvgas = tree.locator(
        "details.branch", has=page.locator("a[href='/portal/quan-tri/don-vi/PVGAS']")
    ).last
    link = page.locator("#tree a[href='/portal/quan-tri/don-vi/PVGAS']")
    expect(link).to_be_hidden()  # inside a closed branch
    pvgas.locator(":scope > summary").click()
    expect(link).to_be_visible()
    snap(page, "admin-cay-don-vi")
    pvgas.locator(":scope > summary").click()
    expect(link).to_be_hidden()
    pvgas.locator(":scope > summary").click()
    link.click()

    detail = page.locator("#unit-detail")
    expect(detail).to_contain_text("PVGAS")
    with system.api("submissions", "admin") as submissions:
        unit = submissions.get("/api/v1/units/PVGAS").json()
        children = submissions.get("/api/v1/units", params={"parent_code": "PVGAS"}).json()
        parent = submissions.get(f"/api/v1/units/{unit['parent_code']}").json()
    expect(page.locator("h1")).to_have_text(unit["name"])
    expect(detail).to_contain_text(parent["name"])
    expect(detail).to_contain_text("Công đoàn")  # the level in words, not its code
    expect(detail).not_to_contain_text(unit["level"] + "\n")
    expect(page.locator("#children li")).to_have_count(children["total"])
    expect(page.locator("#officers")).to_contain_text("Trần Minh Hoàng")
    expect(page.locator("#officers")).not_to_contain_text("Lê Hoàng Phúc")  # not an officer
    snap(page, "admin-don-vi")


def test_admin_decides_the_award_proposals_of_a_closed_phase(
    page: Page, system: PortalSystem
) -> None:
    sign_in(page, "admin")
    page.goto("/portal/quan-tri/khen-thuong")
    expect(page.locator("h1")).to_have_text("Khen thưởng")
    proposals = page.locator("#awards-proposed tbody tr")
    if proposals.count() == 0:
        # The demo's phase 1 is still open: nothing is proposed, and no decision is offered.
        expect(page.locator("#awards-proposed")).to_contain_text("Không có đề nghị nào")
        expect(page.locator("#decision-link")).to_have_count(0)
        expect(page.locator("#decision-none")).to_contain_text("Dự thảo quyết định có khi")
        snap(page, "admin-khen-thuong")
        return
    first, second = proposals.nth(0), proposals.nth(1)
    award = (first.get_attribute("id") or "").removeprefix("award-")
    first.get_by_role("button", name=re.compile("^Phê duyệt")).click()
    expect(page.locator(".flash-success")).to_contain_text("Đã phê duyệt")
    rejected = (second.get_attribute("id") or "").removeprefix("award-")
    row = page.locator(f"#award-{rejected}")
    row.get_by_label("Lý do không phê duyệt").fill("Chưa đủ hồ sơ minh chứng")
    row.get_by_role("button", name=re.compile("^Không phê duyệt")).click()
    expect(page.locator(".flash-success")).to_contain_text("Đã không phê duyệt")
    with system.api("scoring", "admin") as scoring:
        listed = {
            a["id"]: a
            for a in scoring.get("/api/v1/awards", params={"campaign_code": "2022"}).json()
        }
    assert listed[award]["status"] == "confirmed"
    assert listed[rejected]["reject_reason"] == "Chưa đủ hồ sơ minh chứng"


def test_admin_registers_a_webhook_subscriber_and_rotates_its_secret(
    page: Page, system: PortalSystem
) -> None:
    sign_in(page, "admin")
    page.goto("/portal/quan-tri/webhook")
    page.get_by_label("Tên hệ thống").fill("Hệ thống nhân sự")
    page.get_by_label("Địa chỉ nhận (URL)").fill("khong-phai-dia-chi")
    page.get_by_role("button", name="Đăng ký", exact=True).click()
    expect(page.locator("#url-error")).to_be_visible()
    page.get_by_label("Địa chỉ nhận (URL)").fill("https://93.184.216.34/hooks/thidua")
    page.get_by_label("award.granted").check()
    page.get_by_role("button", name="Đăng ký", exact=True).click()
    secret = page.locator("#secret-value")
    expect(secret).to_be_visible()
    first_secret = secret.inner_text()
    assert len(first_secret) >= 40
    snap(page, "admin-webhook-khoa")

    row = page.locator("#subscribers tbody tr", has_text="Hệ thống nhân sự")
    row.get_by_role("button", name=re.compile("Đổi khóa bí mật")).click()
    expect(secret).to_be_visible()
    assert secret.inner_text() != first_secret
    page.goto("/portal/quan-tri/webhook")
    expect(page.locator("#secret-value")).to_have_count(0)  # shown once only

    with system.api("notifications", "admin") as notifications:
        [mine] = [
            s
            for s in notifications.get("/api/v1/subscribers").json()
            if s["name"] == "Hệ thống nhân sự"
        ]
    assert mine["active"] and mine["event_types"] == ["vn.congdoandaukhi.thidua.award.granted.v1"]
    assert mine["secret"] is None  # the list never says a secret

    page.locator("#subscribers tbody tr", has_text="Hệ thống nhân sự").get_by_role(
        "button", name=re.compile("Ngừng gửi")
    ).click()
    expect(page.locator(".flash-success")).to_have_text("Đã ngừng gửi tới Hệ thống nhân sự.")
    expect(page.locator(f"#subscriber-{mine['id']}")).to_contain_text("Đã ngừng")

    page.get_by_label("Trạng thái", exact=True).select_option("retrying")
    page.get_by_role("button", name="Lọc").click()
    expect(page).to_have_url(re.compile(r"status=retrying"))
    for badge in page.locator("#deliveries tbody td .badge").all():
        expect(badge).to_have_text("Đang thử lại")
    redeliver = page.get_by_role("button", name="Gửi lại")
    if redeliver.count():
        redeliver.first.click()
        expect(page.locator(".flash-success")).to_contain_text("Đã xếp lịch gửi lại")
    snap(page, "admin-webhook")


def test_admin_edits_a_contact(page: Page, system: PortalSystem) -> None:
    sign_in(page, "admin")
    page.goto("/portal/quan-tri/lien-he")
    page.get_by_label("Đơn vị", exact=True).select_option("PVGAS")
    page.get_by_role("button", name="Xem").click()
    contact = page.locator("#contact-PVGAS-0103")
    contact.get_by_label("Email").fill("khong-phai-email")
    contact.get_by_role("button", name=re.compile("^Lưu")).click()
    contact = page.locator("#contact-PVGAS-0103")
    expect(contact.locator(".field-error")).to_be_visible()
    expect(contact.get_by_label("Email")).to_have_attribute("aria-invalid", "true")
    contact.get_by_label("Email").fill("phuc.lh@pvgas.example")
    contact.get_by_label("Nhận bản tin hằng ngày").check()
    contact.get_by_role("button", name=re.compile("^Lưu")).click()
    expect(page.locator(".flash-success")).to_have_text("Đã lưu liên hệ của Lê Hoàng Phúc.")
    snap(page, "admin-lien-he")
    with system.api("notifications", "admin") as notifications:
        [stored] = [
            c
            for c in notifications.get("/api/v1/contacts", params={"unit_code": "PVGAS"}).json()
            if c["person_id"] == "PVGAS-0103"
        ]
    assert (stored["email"], stored["daily_digest"], stored["is_officer"]) == (
        "phuc.lh@pvgas.example",
        True,
        False,
    )


def test_admin_pages_fit_a_laptop_and_a_phone_and_only_admins_see_them(
    page: Page, system: PortalSystem
) -> None:
    sign_in(page, "admin")
    for path in ADMIN_PAGES:
        page.goto(path)
        expect(page.locator("h1")).to_be_visible()
        assert unlabelled_inputs(page) == [], path
        assert tab_reaches_main(page), path
        _no_overflow(page, path)
        page.set_viewport_size({"width": 390, "height": 844})
        snap(page, "admin-390-" + re.sub(r"\W+", "-", path.removeprefix("/portal/")).strip("-"))
        page.set_viewport_size({"width": 1366, "height": 900})
    page.context.clear_cookies()
    sign_in(page, "officer-pvgas")
    expect(page.locator(".menu-wide")).not_to_contain_text("Quản trị")
    page.goto("/portal/quan-tri/ke-hoach")
    expect(page.locator("h1")).not_to_have_text("Kế hoạch và đợt thi đua")
