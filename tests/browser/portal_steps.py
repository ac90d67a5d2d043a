"""Steps every portal journey takes: signing in, filling an initiative in, waiting for an event
to arrive, a screenshot to look at, the layout check."""

import re
import time
from collections.abc import Callable, Sequence
from urllib.parse import urlsplit

from playwright.sync_api import Locator, Page, expect

from tests.browser.portal_system import ARTIFACTS


def sign_in(page: Page, user: str) -> None:
    """As a demo user (development's sign-in), landing on the home page."""
    page.goto("/portal/dang-nhap")
    expect(page.get_by_role("note")).to_contain_text("Chỉ dùng khi phát triển")
    form = page.locator("#sign-in-form")
    form.locator(f"#user-{user}").check()
    form.get_by_role("button", name="Đăng nhập", exact=True).click()
    expect(page).to_have_url(re.compile(r"/portal$"))
    # Loaded, not only begun: callers read the home page with scripts (its menu's links).
    page.wait_for_load_state()


def open_from_menu(page: Page, user: str, link: str) -> None:
    """Signed in as `user`, the page the menu's link named `link` leads to (as a person
    finds it, not by its address)."""
    sign_in(page, user)
    page.get_by_role("link", name=link).click()


def fill_initiative_form(
    page: Page,
    title: str,
    unit_code: str,
    problem: str,
    solution: str,
    authors: Sequence[tuple[str, str, int]],
) -> None:
    """The initiative form's required fields (a technical one), a row per author: member id,
    full name, share in percent."""
    page.locator("#title").fill(title)
    page.locator("#unit_code").select_option(unit_code)
    page.locator("#field").select_option("technical")
    page.locator("#problem").fill(problem)
    page.locator("#solution").fill(solution)
    for row, (member_id, name, share) in enumerate(authors):
        page.locator(f"#authors-{row}-member_id").fill(member_id)
        page.locator(f"#authors-{row}-full_name").fill(name)
        page.locator(f"#authors-{row}-share_percent").fill(str(share))


def until(check: Callable[[], bool], page: Page | None = None, seconds: float = 60) -> None:
    """Ask `check` once a second until it holds (an event on its way through Kafka), reloading
    `page` in between if one is given."""
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, f"not so after {seconds}s: {page.url if page else ''}"
        time.sleep(1)
        if page is not None:
            page.reload()


def snap(page: Page, name: str) -> None:
    """A full-page screenshot under tests/browser/artifacts/, to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"portal-{name}.png"), full_page=True)


def follow(page: Page, link: Locator) -> None:
    """Click `link` and wait until its page has loaded. A click returns once the navigation
    has begun: a script evaluated then may run between two documents, with none to read
    (`document.documentElement` null)."""
    path = urlsplit(link.get_attribute("href") or "").path
    link.click()
    page.wait_for_url(lambda url: urlsplit(url).path == path)


def horizontal_overflow(page: Page) -> int:
    """How many pixels the page is wider than the window (0: nothing to scroll sideways)."""
    width: int = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    return width


MENU_ROWS = """() => new Set([...document.querySelectorAll('.main-nav .menu-wide > li')]
    .filter((li) => li.offsetParent !== null)
    .map((li) => Math.round(li.getBoundingClientRect().top))).size"""


def menu_rows(page: Page) -> int:
    """How many lines the main menu's row of links takes (0: no row shown, as on a phone)."""
    rows: int = page.evaluate(MENU_ROWS)
    return rows


UNLABELLED = """() => [...document.querySelectorAll('input, select, textarea')]
    .filter((el) => el.type !== 'hidden')
    .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
        && !el.getAttribute('aria-labelledby'))
    .map((el) => el.name || el.id || el.outerHTML.slice(0, 80))"""


def unlabelled_inputs(page: Page) -> list[str]:
    """The form controls a screen reader could not name (no label, no aria-label)."""
    names: list[str] = page.evaluate(UNLABELLED)
    return names


def tab_reaches_main(page: Page) -> bool:
    """From the top of the page, the first Tab is the skip link, and Enter moves into main."""
    page.keyboard.press("Tab")
    if page.evaluate("() => document.activeElement.className") != "skip-link":
        return False
    page.keyboard.press("Enter")
    focused: bool = page.evaluate("() => document.activeElement.id === 'main'")
    return focused
