"""The portal's browser tests share one system (four services and the portal, for all of
tests/browser: starting it takes most of a minute) and a browser per module. Each test signs in
afresh in a new browser context and works on data of its own (titles, cases), so their order
does not matter."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.browser.portal_system import CHROMIUM_ARGS, PortalSystem, chromium, portal_system


# Per package: up for the browser tests, down before the next directory's tests start theirs.
@pytest.fixture(scope="package")
def system(
    kafka: str, postgres: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[PortalSystem]:
    with portal_system(kafka, postgres, Path(tmp_path_factory.mktemp("portal-system"))) as up:
        yield up


# Per module: Playwright's sync API runs one instance per thread at a time, and each module
# starts its own.
@pytest.fixture(scope="module")
def chromium_browser() -> Iterator[Browser]:
    executable = chromium()  # installs Debian's chromium, or skips saying why
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=executable, args=CHROMIUM_ARGS, headless=True
        )
        yield launched
        launched.close()


def open_page(browser: Browser, base_url: str, width: int = 1366, height: int = 900) -> Page:
    context = browser.new_context(
        base_url=base_url, locale="vi-VN", viewport={"width": width, "height": height}
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    return page


@pytest.fixture
def page(chromium_browser: Browser, system: PortalSystem) -> Iterator[Page]:
    opened = open_page(chromium_browser, system.portal_url)
    yield opened
    opened.context.close()
