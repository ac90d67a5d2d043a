"""The portal's guards and structure, on the real submissions and notifications apps in
process (SQLite, Kafka unreachable): CSRF on every POST (sign-in included), the signed
session, menus by role, templates a strict CSP accepts, the words complete in both languages
(and read from their files).
The journeys themselves are in tests/browser."""

import ast
import html
import re
import shutil
import time
import tomllib
from fnmatch import fnmatch
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from services.portal import words
from services.portal.config import PortalSettings
from services.portal.menu import menu_for
from services.portal.session import Session, SessionCodec
from services.portal.words import AREAS, WORDS
from shared.auth import Principal, Role
from shared.dev_tokens import DEMO_USERS
from tests.unit.conftest import MEMBER_AN, submitted_by_an
from tests.unit.portal_helpers import PORTAL, csrf_of, dev_token, save_a_draft_registration, sign_in

ROOT = Path(__file__).resolve().parents[2]
PORTAL_DIR = ROOT / "services" / "portal"
TEMPLATES = PORTAL_DIR / "templates"


def sent_on(client: TestClient, url: str) -> tuple[int, str | None]:
    """Where a GET of `url` is redirected, not followed: (status, location)."""
    answer = client.get(url, follow_redirects=False)
    return answer.status_code, answer.headers.get("location")


def test_signing_in_needs_the_pre_session_csrf_token(portal: TestClient) -> None:
    token = csrf_of(portal.get("/portal/dang-nhap"))
    without = portal.post("/portal/dang-nhap", data={"user": "officer-pvgas"})
    wrong = portal.post("/portal/dang-nhap", data={"user": "officer-pvgas", "_csrf": "x" * 43})
    assert (without.status_code, wrong.status_code) == (403, 403)
    assert "Biểu mẫu không được gửi từ trang của cổng thông tin" in without.text
    signed = portal.post(
        "/portal/dang-nhap",
        data={"user": "officer-pvgas", "_csrf": token},
        follow_redirects=False,
    )
    assert (signed.status_code, signed.headers["location"]) == (303, "/portal")
    cookie = signed.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/portal" in cookie
    # A new session at sign-in: the pre-session's token no longer posts anything.
    assert portal.get("/portal").status_code == 200
    assert csrf_of(portal.get("/portal/cai-dat")) != token


def test_a_cross_origin_post_is_refused_even_with_the_right_token(portal: TestClient) -> None:
    assert sign_in(portal, "member-pvgas").status_code == 303
    token = csrf_of(portal.get("/portal/cai-dat"))
    form = {"_csrf": token, "email": "an@example.org", "language": "vi"}
    for headers in (
        {"origin": "http://evil.example"},
        {"origin": "null"},
        {"referer": "http://evil.example/form.html"},
    ):
        request = portal.build_request("POST", "/portal/cai-dat", data=form, headers=headers)
        if "origin" not in headers:
            del request.headers["origin"]  # the fixture's client sends ours with every request
        assert portal.send(request).status_code == 403, headers
    saved = portal.post(
        "/portal/cai-dat", data=form, headers={"origin": PORTAL}, follow_redirects=False
    )
    assert saved.status_code == 303


def _refused_settings(portal: TestClient) -> tuple[str, httpx.Response]:
    """The member's settings sent with an email that is no address: the form's token, and
    the refusal."""
    sign_in(portal, "member-pvgas")
    token = csrf_of(portal.get("/portal/cai-dat"))
    form = {"_csrf": token, "email": "not an address", "language": "en"}
    return token, portal.post("/portal/cai-dat", data=form)


def test_a_member_sets_their_email_language_and_digest(
    portal: TestClient, notifications: TestClient
) -> None:
    token, refused = _refused_settings(portal)
    assert refused.status_code == 422
    assert 'id="email-error"' in refused.text
    portal.post(
        "/portal/cai-dat",
        data={
            "_csrf": token,
            "email": "an.nv@pvgas.example",
            "language": "en",
            "daily_digest": "on",
        },
    )
    page = portal.get("/portal/cai-dat")
    assert 'value="an.nv@pvgas.example"' in page.text
    demo = DEMO_USERS["member-pvgas"]
    admin = {"Authorization": "Bearer " + dev_token("admin")}
    [stored] = [
        c
        for c in notifications.get("/api/v1/contacts", headers=admin).json()
        if c["person_id"] == demo.subject
    ]
    assert (stored["email"], stored["language"], stored["daily_digest"]) == (
        "an.nv@pvgas.example",
        "en",
        True,
    )
    assert (stored["full_name"], stored["unit_code"]) == (demo.name, demo.unit_code)


def test_switching_language_on_a_refused_form_keeps_its_errors_and_sends_nothing(
    portal: TestClient, notifications: TestClient
) -> None:
    token, refused = _refused_settings(portal)
    shown = re.search(r'name="_errors" value="([^"]*)"', refused.text)
    assert refused.status_code == 422 and shown is not None
    switched = portal.post(
        "/portal/cai-dat",
        data={
            "_csrf": token,
            "email": "an.nv@pvgas.example",  # typed meanwhile: shown again, not saved
            "language": "en",
            "_lang": "en",
            "_errors": html.unescape(shown.group(1)),
        },
    )
    assert switched.status_code == 200
    assert '<html lang="en"' in switched.text and 'id="email-error"' in switched.text
    assert 'value="an.nv@pvgas.example"' in switched.text
    admin = {"Authorization": "Bearer " + dev_token("admin")}
    subject = DEMO_USERS["member-pvgas"].subject
    contacts = notifications.get("/api/v1/contacts", headers=admin).json()
    assert all(c["email"] != "an.nv@pvgas.example" for c in contacts if c["person_id"] == subject)


def test_nobody_is_offered_a_page_that_refuses_them(portal: TestClient) -> None:
    menu = portal.app.state.menu  # type: ignore[attr-defined]

    def offered(role: Role) -> set[str]:
        person = Principal("X-1", "X", frozenset({role}), "PVGAS")
        return {item.path for item in menu_for(person, menu)}

    member = offered(Role.MEMBER)
    assert {"/portal/bao-cao", "/portal/nhap-tep", "/portal/dang-ky"}.isdisjoint(member)
    assert {"/portal/sang-kien/moi", "/portal/hop-thu", "/portal/cai-dat"} <= member
    assert {"/portal/bao-cao", "/portal/nhap-tep", "/portal/dang-ky"} <= offered(Role.UNIT_OFFICER)
    # What the menu leaves out, the route refuses with a page saying so (not the API's 403).
    sign_in(portal, "member-pvgas")
    for path in ("/portal/bao-cao", "/portal/nhap-tep", "/portal/dang-ky"):
        refused = portal.get(path)
        assert refused.status_code == 403 and "Vai trò của bạn" in refused.text, path
    home = portal.get("/portal").text
    assert 'href="/portal/bao-cao"' not in home and 'href="/portal/hop-thu"' in home


def test_the_session_cookie_cannot_be_forged_or_outlive_its_hours() -> None:
    codec = SessionCodec(b"k" * 32, max_age_seconds=3600)
    cookie = codec.dump(Session.new("a.token.here"))
    assert codec.load(cookie) is not None
    payload, signature = cookie.rsplit(".", 1)
    assert codec.load(f"{payload}x.{signature}") is None
    assert SessionCodec(b"j" * 32, 3600).load(cookie) is None
    old = codec.dump(Session("csrf", "a.token.here", issued_at=time.time() - 3601))
    assert codec.load(old) is None


def test_every_post_form_carries_the_csrf_token() -> None:
    for template in TEMPLATES.glob("*.html"):
        text = template.read_text()
        for form in re.finditer(r'<form method="post"[^>]*>(.{0,200})', text, re.S):
            assert 'name="_csrf" value="{{ csrf }}"' in form.group(1), template.name


def test_templates_have_no_inline_script_or_style_for_a_strict_csp() -> None:
    for template in TEMPLATES.glob("*.html"):
        text = template.read_text()
        assert "<style" not in text, template.name
        # A script only from the portal's own static files, with nothing inline.
        for script in re.findall(r"<script\b[^>]*>.*?</script>", text, re.S):
            assert re.fullmatch(r'<script src="/portal/static/[a-z]+\.js" defer></script>', script)
        assert text.count("<script") == len(re.findall(r"<script\b[^>]*>.*?</script>", text, re.S))
        assert not re.search(r"\sstyle=|\son[a-z]+=", text), template.name


def test_every_word_is_in_both_languages_and_every_key_used_exists() -> None:
    for key, (vi, en) in WORDS.items():
        assert vi.strip() and en.strip(), key
        # The same placeholders in both languages, or .format() fails in one of them.
        assert sorted(re.findall(r"{(\w*)}", vi)) == sorted(re.findall(r"{(\w*)}", en)), key
    used = set()
    for template in TEMPLATES.glob("*.html"):
        used |= set(re.findall(r"""\bt\(['"]([a-z_.]+)['"][,)]""", template.read_text()))
    # In the code: every literal that looks like a key of an area the catalogue knows (not a
    # template's name, nor a prefix a key is completed from, e.g. "awd.done_" + action).
    areas = {key.split(".")[0] for key in WORDS}
    for module in PORTAL_DIR.rglob("*.py"):
        for node in ast.walk(ast.parse(module.read_text())):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and re.fullmatch(r"[a-z_]+(\.[a-z_0-9]+)+", node.value)
                and node.value.split(".")[0] in areas
                and not node.value.endswith((".html", "_"))
            ):
                used.add(node.value)
    assert len(used) > 400  # the search found the keys, not nothing
    assert used - WORDS.keys() == set()


def test_the_catalogue_is_read_from_its_files_and_refuses_a_bad_one(tmp_path: Path) -> None:
    for area in AREAS:
        shutil.copy(PORTAL_DIR / "words" / f"{area}.toml", tmp_path)
    assert words.load(tmp_path) == WORDS
    home = tmp_path / "home.toml"
    good = home.read_text()
    for bad, reason in (
        ('"x.only_vi" = ["Chỉ tiếng Việt"]', "is not \\[Vietnamese, English\\]"),
        ('"x.blank_en" = ["Có", " "]', "is not \\[Vietnamese, English\\]"),
        ('"x.number" = ["Một", 1]', "is not \\[Vietnamese, English\\]"),
        ('"nav.home" = ["Trang chủ", "Home"]', "defined twice"),  # it is common.toml's
    ):
        home.write_text(f"{good}{bad}\n")
        with pytest.raises(ValueError, match=reason):
            words.load(tmp_path)
    home.write_text(good)
    (tmp_path / "stray.toml").write_text("")
    with pytest.raises(ValueError, match="not listed \\['stray'\\]"):
        words.load(tmp_path)
    (tmp_path / "stray.toml").unlink()
    home.unlink()
    with pytest.raises(ValueError, match="missing \\['home'\\]"):
        words.load(tmp_path)


def test_the_words_files_are_installed_with_the_package() -> None:
    """The image runs the installed package, not the source tree: the files must be
    package data, as the templates are."""
    with (ROOT / "pyproject.toml").open("rb") as file:
        package_data = tomllib.load(file)["tool"]["setuptools"]["package-data"]
    patterns = [pattern for patterns in package_data.values() for pattern in patterns]
    for suffix in (".toml", ".html"):
        assert any(fnmatch(f"x{suffix}", pattern) for pattern in patterns), (
            f"pyproject.toml's [tool.setuptools.package-data] does not install *{suffix} files"
        )


def test_an_officer_records_and_resolves_a_complaint_case(portal: TestClient) -> None:
    sign_in(portal, "officer-pvgas")
    page = portal.get("/portal/khieu-nai")
    token, key = csrf_of(page), re.search(r'name="key" value="([^"]+)"', page.text)
    assert key
    case = {
        "_csrf": token,
        "key": key.group(1),
        "unit_code": "PVGAS-KCM",
        "summary": "Đơn khiếu nại về chế độ bồi dưỡng độc hại",
        "received_on": "31/02/2022",
    }
    refused = portal.post("/portal/khieu-nai", data=case)
    assert refused.status_code == 422
    assert "Ngày không hợp lệ: nhập theo dạng dd/mm/yyyy" in refused.text
    recorded = portal.post(
        "/portal/khieu-nai", data={**case, "received_on": "01/03/2022"}, follow_redirects=False
    )
    assert recorded.status_code == 303
    listing = portal.get("/portal/khieu-nai").text
    assert "Đơn khiếu nại về chế độ bồi dưỡng độc hại" in listing and "01/03/2022" in listing
    case_id = re.search(r'action="/portal/khieu-nai/([0-9a-f-]{36})/giai-quyet"', listing)
    assert case_id
    field = f"resolved_on-{case_id.group(1)}"
    not_a_day = portal.post(
        f"/portal/khieu-nai/{case_id.group(1)}/giai-quyet",
        data={"_csrf": token, "resolved_on": "32/03/2022"},
    )
    # Refused beside its own case, with what was typed kept in its box.
    assert not_a_day.status_code == 422
    assert f'<div class="field-error" id="{field}-error">' in not_a_day.text
    assert f'id="{field}" name="resolved_on" value="32/03/2022"' in not_a_day.text
    resolved = portal.post(
        f"/portal/khieu-nai/{case_id.group(1)}/giai-quyet",
        data={"_csrf": token, "resolved_on": "10/03/2022"},
        follow_redirects=False,
    )
    assert resolved.status_code == 303
    after = portal.get("/portal/khieu-nai").text
    assert "10/03/2022" in after and f"/portal/khieu-nai/{case_id.group(1)}/giai-quyet" not in after


def test_an_initiatives_page_follows_its_state_until_it_is_final(
    portal: TestClient, submissions: TestClient
) -> None:
    initiative_id = submitted_by_an(submissions)
    page_url = f"/portal/sang-kien/{initiative_id}"
    sign_in(portal, "member-pvgas")  # An, its author

    def followed() -> tuple[str, dict[str, object]]:
        page = portal.get(page_url)
        version = portal.get(f"{page_url}/phien-ban")
        assert version.status_code == 200 and version.headers["cache-control"] == "no-store"
        return page.text, version.json()

    page, state = followed()
    assert state["final"] is False
    unit = submissions.get(f"/api/v1/initiatives/{initiative_id}", headers=MEMBER_AN).json()
    named = submissions.get(f"/api/v1/units/{unit['unit_code']}", headers=MEMBER_AN).json()
    # Its unit by name, the code beside it.
    assert f'id="initiative-unit">{named["name"]} <span class="muted"><code>' in page
    assert f'data-live-version="{state["version"]}"' in page
    assert '<script src="/portal/static/live.js" defer></script>' in page
    amended = submissions.patch(
        f"/api/v1/initiatives/{initiative_id}",
        json={"title": "Cải tiến quy trình bảo dưỡng máy nén khí (bổ sung)"},
        headers=MEMBER_AN,
    )
    assert amended.status_code == 200, amended.text
    _, after_amending = followed()
    assert after_amending["version"] != state["version"]  # the page's script reloads it
    withdrawn = submissions.post(f"/api/v1/initiatives/{initiative_id}/withdraw", headers=MEMBER_AN)
    assert withdrawn.status_code == 200, withdrawn.text
    page, final = followed()
    assert final["final"] is True and "data-live-url" not in page and "live.js" not in page

    script = portal.get("/portal/static/live.js")
    assert script.status_code == 200 and "text/javascript" in script.headers["content-type"]
    signed_out = TestClient(portal.app, base_url=PORTAL)
    refused = signed_out.get(f"{page_url}/phien-ban", follow_redirects=False)
    assert refused.status_code in (303, 401)


def test_pages_carry_a_strict_content_security_policy(portal: TestClient) -> None:
    page = portal.get("/portal/dang-nhap")
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy and page.headers["x-frame-options"] == "DENY"


def test_the_old_portal_address_on_submissions_redirects_to_the_portal(
    submissions: TestClient,
) -> None:
    assert sent_on(submissions, "/portal/sang-kien?unit=PVGAS") == (
        301,
        "http://127.0.0.1:8005/portal/sang-kien?unit=PVGAS",
    )


def test_an_unknown_page_or_initiative_is_a_page_in_the_persons_language(
    portal: TestClient,
) -> None:
    # Not signed in: to the sign-in page, keeping where they were going.
    assert sent_on(portal, "/portal/sang-kien") == (
        303,
        "/portal/dang-nhap?next=%2Fportal%2Fsang-kien",
    )
    sign_in(portal, "member-pvgas")
    missing = portal.get("/portal/sang-kien/6f1c1b8e-2d4e-4b8e-9a51-0c7f1d2e3a4b")
    assert missing.status_code == 404 and "Không tìm thấy trang" in missing.text
    assert "text/html" in missing.headers["content-type"]
    english = portal.get("/portal/khong-co?lang=en")
    assert english.status_code == 404 and "Page not found" in english.text


def test_in_production_the_portal_needs_its_own_session_secret(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("THIDUA_ENV", "production")
    assert any("PORTAL_SESSION_SECRET" in p for p in PortalSettings().problems())
    own = PortalSettings(session_secret="s" * 40)
    assert own.problems() == [] and own.production
    short = PortalSettings(session_secret="short")
    assert any("at least 32 bytes" in p for p in short.problems())
    monkeypatch.setenv("THIDUA_ENV", "development")
    assert PortalSettings().problems() == []


def test_a_refused_registration_action_is_shown_in_its_row_or_above_the_form(
    portal: TestClient,
) -> None:
    token, _ = save_a_draft_registration(portal)
    draft = re.search(r'action="/portal/dang-ky/([^/"]+)/gui"', portal.get("/portal/dang-ky").text)
    assert draft
    refused = portal.post(f"/portal/dang-ky/{draft.group(1)}/duyet", data={"_csrf": token})
    # A draft cannot be approved: said in its own row.
    assert refused.status_code == 409
    row = refused.text.split('<tr id="registration-PVGAS-KCM-', 1)[1].split("</tr>", 1)[0]
    assert '<p class="field-error" role="alert">' in row and "không thể duyệt" in row
    unknown = "00000000-0000-4000-8000-000000000000"
    refused = portal.post(f"/portal/dang-ky/{unknown}/duyet", data={"_csrf": token})
    assert refused.status_code == 404
    # Not a row of the list: said above the form.
    assert "<li>Không tìm thấy bản đăng ký</li>" in refused.text


def test_a_withdrawal_the_api_forbids_is_answered_with_its_status(
    portal: TestClient, submissions: TestClient
) -> None:
    """A reviewer may read An's initiative, not withdraw it: the API's 403 was shown as 409
    (the answer for one no longer withdrawable)."""
    initiative_id = submitted_by_an(submissions)
    page_url = f"/portal/sang-kien/{initiative_id}"
    sign_in(portal, "reviewer")
    token = csrf_of(portal.get(page_url))

    refused = portal.post(
        f"{page_url}/rut",
        data={"_csrf": token, "confirm": "yes"},
        headers={"origin": PORTAL},
        follow_redirects=False,
    )

    assert refused.status_code == 403
    # Nor is the reviewer told a council is reviewing it: none is yet.
    assert "Hội đồng đang xem xét sáng kiến này" not in refused.text
    still = submissions.get(
        page_url.replace("/portal/sang-kien", "/api/v1/initiatives"), headers=MEMBER_AN
    )
    assert still.json()["status"] == "submitted"
