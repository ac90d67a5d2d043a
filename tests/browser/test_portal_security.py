"""The portal's forms in a real browser: a POST without the session's CSRF token, with a wrong
one, or from another site is refused with 403; the pages fit a 1366×768 laptop and a 390 px
phone without scrolling sideways, the initiatives' status column in view, every input named
by a label, the skip link first on the keyboard, and nothing the CSP refuses."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import open_page
from tests.browser.portal_steps import (
    follow,
    horizontal_overflow,
    menu_rows,
    sign_in,
    snap,
    tab_reaches_main,
    unlabelled_inputs,
)
from tests.browser.portal_system import PortalSystem

POST_FROM_PAGE = """async ([action, token]) => {
    const body = new URLSearchParams({email: 'x@example.org', language: 'vi'});
    if (token !== null) body.set('_csrf', token);
    const answer = await fetch(action, {method: 'POST', body});
    return answer.status;
}"""


def test_a_post_without_or_with_a_wrong_csrf_token_is_refused(page: Page) -> None:
    sign_in(page, "member-pvgas")
    page.goto("/portal/cai-dat")
    right = page.locator('#settings-form input[name="_csrf"]').get_attribute("value")
    assert right
    assert page.evaluate(POST_FROM_PAGE, ["/portal/cai-dat", None]) == 403
    assert page.evaluate(POST_FROM_PAGE, ["/portal/cai-dat", right[::-1]]) == 403
    assert page.evaluate(POST_FROM_PAGE, ["/portal/cai-dat", right]) == 200  # same page: ok


def test_a_form_posted_from_another_site_is_refused(page: Page, system: PortalSystem) -> None:
    sign_in(page, "member-pvgas")
    page.goto("/portal/cai-dat")
    token = page.locator('#settings-form input[name="_csrf"]').get_attribute("value")
    # Another site's page (served by the test at another origin) posting to the portal, even
    # with a token it somehow had: the browser says where the form came from.
    attacker = "http://attacker.example/"
    page.route(
        attacker,
        lambda route: route.fulfill(
            content_type="text/html",
            body=(
                f'<form method="post" action="{system.portal_url}/portal/cai-dat">'
                f'<input name="_csrf" value="{token}"><input name="email" value="evil@x.org">'
                '<button id="go">go</button></form>'
            ),
        ),
    )
    page.goto(attacker)
    page.locator("#go").click()
    expect(page.locator("h1")).to_have_text("Không thực hiện được")
    expect(page.get_by_role("alert")).to_contain_text("không được gửi từ trang của cổng")
    with system.api("notifications", "member-pvgas") as notifications:
        assert notifications.get("/api/v1/me/contact").json()["email"] != "evil@x.org"


MENU_LINKS = """() => [...new Set([...document.querySelectorAll('header nav a')]
    .map((a) => a.getAttribute('href')).filter((href) => href.startsWith('/portal')))]"""


def check_page(page: Page, width: int, where: str) -> None:
    assert horizontal_overflow(page) == 0, f"{where} scrolls sideways at {width}px"
    # A laptop's menu is one row ("Bảng theo dõi" once wrapped onto a second at 1366 px); a
    # phone's is the list to open instead.
    rows = menu_rows(page)
    assert rows <= 1 if width >= 1366 else rows == 0, f"{where}: the menu in {rows} rows"
    assert unlabelled_inputs(page) == [], where
    assert tab_reaches_main(page), f"{where}: the skip link is not first"


@pytest.mark.parametrize("user", ["member-pvgas", "officer-pvgas", "reviewer", "admin"])
@pytest.mark.parametrize(("width", "height"), [(1366, 768), (390, 844)])
def test_every_page_a_menu_offers_opens_and_fits_a_laptop_and_a_phone(
    chromium_browser: Browser, system: PortalSystem, user: str, width: int, height: int
) -> None:
    """For each role, every page its menu offers: no refusal (nobody is offered a page that
    refuses them), no sideways scrolling at 1366 or 390 px, every input labelled, the skip
    link first, nothing refused by the CSP. New pages are covered as they join a menu."""
    page = open_page(chromium_browser, system.portal_url, width, height)
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if m.type == "error" else None)
    try:
        sign_in(page, user)
        links: list[str] = page.evaluate(MENU_LINKS)
        assert len(links) >= 4, links
        for path in links:
            answer = page.goto(path)
            assert answer is not None and answer.status == 200, f"{user}: {path}"
            check_page(page, width, f"{user}: {path}")
        if width >= 1366:  # the whole menu on one row, in either language
            for lang in ("en", "vi"):
                page.goto(f"/portal?lang={lang}")
                assert menu_rows(page) == 1, f"{user}: the menu wraps at {width}px ({lang})"
        assert refused == [], f"{user}: {refused}"
    finally:
        page.context.close()


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (390, 844)])
def test_the_initiatives_status_and_forms_fit_a_laptop_and_a_phone(
    chromium_browser: Browser, system: PortalSystem, width: int, height: int
) -> None:
    page = open_page(chromium_browser, system.portal_url, width, height)
    # A strict CSP refuses inline scripts and styles; the browser says so on its console.
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if m.type == "error" else None)
    try:
        page.goto("/portal/dang-nhap")
        check_page(page, width, "sign-in")
        sign_in(page, "officer-pvgas")
        page.goto("/portal/sang-kien?unit=PVGAS")
        status = page.locator("#initiatives tbody tr").first.locator("td").first
        expect(status).to_contain_text(re.compile(r"Đã nộp|Đang xét|Đã rút|công nhận|Trả lại"))
        box = status.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
        snap(page, f"danh-sach-{width}")
        # An initiative's page and its amendment form, as the officer over its unit.
        follow(page, page.locator("#initiatives tbody tr").first.locator("th a"))
        for _ in range(2):
            check_page(page, width, page.url)
            amend = page.get_by_role("link", name="Sửa sáng kiến")
            if amend.count() == 0:
                break
            follow(page, amend)
        assert refused == []
    finally:
        page.context.close()
