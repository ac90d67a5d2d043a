"""The reporting dashboard page in a real browser: the figures it shows are the API's.

The real reporting app is served by uvicorn (in a thread) on a SQLite file whose read models
were filled by reporting's own projection handlers, fed real events (`dashboard_events`): the
2022 plan, the demo union tree and a year of registrations, reports, initiatives, decisions
and awards. Kafka is unreachable. Debian's Chromium, headless, through Playwright's sync API,
found or installed as for the portal's tests.
"""

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.reporting_app import api, reporting_app

ARTIFACTS = Path(__file__).parent / "artifacts"
CHARTS = ("trend-chart", "targets-chart", "fields-chart")
# Each chart's datasets as plain values (a point's y), and the trend's days as ISO dates.
CHART_VALUES = """(ids) => Object.fromEntries(ids.map((id) => {
    const chart = Chart.getChart(document.getElementById(id));
    if (!chart) return [id, null];
    return [id, {
        width: chart.width,
        values: chart.data.datasets.map((d) => d.data.map((p) => typeof p === 'object' ? p.y : p)),
        days: chart.data.datasets[0].data.map((p) =>
            typeof p === 'object' ? new Date(p.x).toISOString().slice(0, 10) : null),
    }];
}))"""


def vn(number: float) -> str:
    """As the page writes a count or a percent in Vietnamese: 2.143, 57,5, 100."""
    whole, _, fraction = f"{number:,.1f}".partition(".")
    return whole.replace(",", ".") + ("" if fraction == "0" else f",{fraction}")


@pytest.fixture(scope="module")
def dashboard_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with reporting_app(tmp_path_factory.mktemp("dashboard")) as url:
        yield url


@pytest.fixture
def page(chromium_browser: Browser, dashboard_url: str) -> Iterator[Page]:
    context = chromium_browser.new_context(
        base_url=dashboard_url,
        locale="vi-VN",
        viewport={"width": 1366, "height": 900},
        reduced_motion="reduce",  # the charts draw at once: nothing half-animated to compare
    )
    opened = context.new_page()
    opened.set_default_timeout(20_000)
    yield opened
    context.close()


def test_dashboard_shows_the_api_figures_as_text_and_as_charts(
    page: Page, dashboard_url: str
) -> None:
    figures = api(dashboard_url, "dot-1")
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    # Offline: nothing is asked of another host (no CDN), and nothing asked is missing.
    page.on(
        "request", lambda r: None if r.url.startswith(dashboard_url) else problems.append(r.url)
    )
    page.on(
        "response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None
    )

    page.goto("/dashboard/2022?phase=dot-1")
    expect(page.locator("html")).to_have_attribute("data-charts", "ready")
    progress = figures["progress"]
    expect(page.locator("#updated")).to_have_text(
        f"Số liệu cập nhật lúc {progress['computed_at_display']}"
    )
    expect(page.locator("#phase-select")).to_have_value("dot-1")
    targets = {t["number"]: t for t in progress["targets"]}
    count = page.locator("#target-7")
    expect(count).to_have_attribute("data-achieved", str(targets[7]["achieved"]))
    expect(count.locator(".target-count")).to_have_text(f"{vn(targets[7]['achieved'])}/2.000")
    expect(count.locator(".summary")).to_have_text(targets[7]["summary"])
    share = page.locator("#target-6")
    expect(share).to_have_attribute("data-percent", str(targets[6]["percent"]))
    expect(share.locator(".target-percent")).to_have_text(f"{vn(targets[6]['percent'])}%")
    expect(share.locator(".badge")).to_have_text("Đạt" if targets[6]["met"] else "Chưa đạt")
    named = share.locator(".lagging li .unit-name")
    expect(named).to_have_text([u["name"] for u in targets[6]["lagging"][:4]])
    expect(share.locator(".more")).to_have_text(f"và {targets[6]['lagging_count'] - 4} đơn vị khác")

    rows = page.locator("#league tbody tr")
    expect(rows).to_have_count(len(figures["league"]["rows"]))
    for position, expected in enumerate(figures["league"]["rows"][:3]):
        row = rows.nth(position)
        expect(row).to_have_attribute("data-unit", expected["unit_code"])
        expect(row.locator(".rank")).to_have_text(str(expected["rank"]))
        expect(row.locator(".unit-name")).to_have_text(expected["name"])
        expect(row.locator(".met-count")).to_have_text(f"{expected['targets_met']}/7")
        expect(row.locator("td.num")).to_have_text(
            [
                str(expected["rank"]),
                str(expected["points"]),
                vn(expected["submitted"]),
                vn(expected["recognised"]),
                expected["benefit_display"],
            ]
        )
    for field in figures["fields"]:
        row = page.locator(f"#fields tr[data-field='{field['field']}']")
        expect(row.locator("th")).to_have_text(field["label_vi"])
        expect(row.locator("td").first).to_have_text(vn(field["submitted"]))
    honour = figures["honour"]
    expect(page.locator("#honour-initiatives .honour-title").first).to_have_text(
        honour["initiatives"][0]["title"]
    )
    expect(page.locator("#honour-initiatives .honour-benefit").first).to_have_text(
        honour["initiatives"][0]["benefit_display"]
    )
    expect(page.locator("#honour-awards li").first).to_contain_text(
        honour["awards"][0]["recipient_name"]
    )

    charts = page.evaluate(CHART_VALUES, list(CHARTS))
    assert all(charts[name] and charts[name]["width"] > 0 for name in CHARTS), charts
    trend = figures["trend"]
    assert charts["trend-chart"]["days"] == [d["day"] for d in trend["days"]]
    assert charts["trend-chart"]["values"] == [
        [d["cumulative_submitted"] for d in trend["days"]],
        [d["cumulative_recognised"] for d in trend["days"]],
        [trend["goal"], trend["goal"]],
    ]
    assert charts["targets-chart"]["values"] == [[t["percent"] for t in progress["targets"]]]
    assert charts["fields-chart"]["values"] == [[f["submitted"] for f in figures["fields"]]]
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "dashboard.png"
    page.screenshot(path=str(shot), full_page=True)
    print(f"\nscreenshot: {shot}")

    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"phase=dot-1"))
    for heading in ("Progress toward 2,000 initiatives", "The seven targets", "Honour board"):
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
    expect(page.get_by_role("heading", name="League table: affiliated unions")).to_be_visible()
    expect(page.locator("#updated")).to_have_text(
        f"Figures as of {progress['computed_at_display']}"
    )
    first = figures["fields"][0]
    expect(page.locator(f"#fields tr[data-field='{first['field']}'] th")).to_have_text(
        first["label_en"]
    )
    # The targets by the 2022 file's English names, their summaries in English.
    seven = page.locator("#target-7")
    expect(seven.locator("h3")).to_have_text(targets[7]["name_en"])
    expect(seven.locator("h3")).not_to_have_attribute("lang", "vi")
    expect(seven.locator(".summary")).to_have_text(targets[7]["summary_en"])
    expect(seven.locator(".target-count")).to_have_text(f"{targets[7]['achieved']:,}/2,000")
    expect(page.locator("html")).to_have_attribute("data-charts", "ready")
    page.screenshot(path=str(ARTIFACTS / "dashboard-en.png"), full_page=True)

    # The phase selector: the year's second phase, where the 2,000 are exceeded.
    page.locator("#phase-select").select_option("dot-2")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"phase=dot-2"))
    year = api(dashboard_url, "dot-2")["progress"]["targets"][-1]
    assert year["exceeded"], year  # 2,200 of 2,000: what the data was made to show
    expect(page.locator("#target-7")).to_have_attribute("data-achieved", str(year["achieved"]))
    expect(page.locator("#target-7 .badge")).to_have_text("Exceeded")
    assert problems == []


def test_the_newest_campaign_and_the_pages_that_do_not_exist(dashboard_url: str) -> None:
    with httpx.Client(base_url=dashboard_url, timeout=30) as client:
        newest = client.get("/dashboard", params={"lang": "en"})
        missing = client.get("/dashboard/1999")
        wrong = client.get("/dashboard/2022", params={"phase": "dot-9", "lang": "en"})
    assert newest.headers["location"] == "/dashboard/2022?lang=en"
    assert (missing.status_code, wrong.status_code) == (404, 404)
    # The API's own refusals (shared.refusals), in the page's language.
    assert "Chưa có kế hoạch thi đua 1999" in missing.text
    assert "Campaign 2022 has no phase dot-9" in wrong.text


def test_the_english_page_says_the_targets_in_english(dashboard_url: str) -> None:
    """The 2022 file's English names, the summaries and reasons in English with English
    numbers; the Vietnamese page as before."""
    progress = api(dashboard_url, "dot-1")["progress"]
    targets = {t["number"]: t for t in progress["targets"]}
    seven, six = targets[7], targets[6]
    assert seven["name_en"] == "“One million initiatives”, beyond 2,000 initiatives"
    assert seven["summary_en"].startswith(f"{seven['achieved']:,}/2,000 initiatives submitted (")
    assert six["summary_en"].endswith("; goal 100%)"), six
    reasons = [u["reason_en"] for u in six["lagging"]]
    assert reasons and all(reasons), six["lagging"]
    with httpx.Client(base_url=dashboard_url, timeout=30) as client:
        english = client.get("/dashboard/2022", params={"phase": "dot-1", "lang": "en"}).text
        vietnamese = client.get("/dashboard/2022", params={"phase": "dot-1"}).text
    assert "<h3>“One million initiatives”, beyond 2,000 initiatives</h3>" in english
    assert f'<p class="summary">{seven["summary_en"]}</p>' in english
    assert f'<span class="reason">({reasons[0]})</span>' in english
    assert "Phase 1 (01/01/2022" in english  # the phase by its English name
    assert "Chương trình “01 triệu sáng kiến”, vượt mức 2.000 sáng kiến</h3>" in vietnamese
    assert f'<p class="summary" lang="vi">{seven["summary"]}</p>' in vietnamese
    assert "“One million initiatives”" not in vietnamese
