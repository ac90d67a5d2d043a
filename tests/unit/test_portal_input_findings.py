"""What a black-box test of the portal found in its input: a number too large to be a float (a
500), bytes that are not UTF-8 in a form field (stored replaced), a POST with neither Origin
nor Referer (accepted)."""

import re
from urllib.parse import quote, urlencode

import httpx
import pytest
from fastapi.testclient import TestClient

from services.portal.forms import parse_int, parse_number, parse_vnd
from services.submissions.demo import seed_campaign
from tests.unit.council_helpers import assign, awaiting_council
from tests.unit.portal_helpers import PORTAL, csrf_of, sign_in

HUGE = "9" * 309  # float() reads it as inf
NUMBER_INVALID = "Số liệu không hợp lệ: nhập một số"
CODES = ("novelty", "applicability", "effectiveness", "scope")


def error_of(page: str, field: str) -> str:
    """The error shown beside the form field `field`."""
    return page.split(f'id="{field}-error"', 1)[1].split("</div>", 1)[0]


@pytest.mark.parametrize("typed", [HUGE, HUGE + ",5", "-" + HUGE, "1" + "0" * 400 + " %"])
def test_a_number_past_what_a_float_holds_is_not_read_as_one(typed: str) -> None:
    assert parse_number(typed) is None


def test_the_other_number_readers_stay_finite() -> None:
    for typed in ("inf", "nan", "1e999", "Infinity", HUGE):
        assert parse_number(typed) is None and parse_int(typed) is None, typed
    assert parse_vnd(HUGE) is None  # more digits than any amount has
    assert parse_number("0," + "0" * 400 + "1") == 0.0  # too small is zero, still a number
    assert parse_number("85,5 %") == 85.5 and parse_int("70 %") == 70


def report_form(portal: TestClient) -> dict[str, str]:
    page = portal.get("/portal/bao-cao")
    assert page.status_code == 200, page.text
    phase = re.search(r'name="phase_code"[^>]*>.*?<option value="([^"]+)"', page.text, re.S)
    assert phase and 'name="figure-activities-implemented"' in page.text
    return {
        "_csrf": csrf_of(page),
        "phase_code": phase.group(1),
        "unit_code": "PVGAS-KCM",
        "kind": "plan",
        "summary": "Kế hoạch thi đua của đơn vị trong đợt này.",
    }


def test_a_reports_figure_past_a_float_is_refused_beside_it(portal: TestClient) -> None:
    sign_in(portal, "officer-pvgas")
    form = report_form(portal) | {"figure-activities-implemented": HUGE}
    answer = portal.post("/portal/bao-cao", data=form, headers={"origin": PORTAL})
    assert answer.status_code == 422, answer.text[:300]
    assert NUMBER_INVALID in error_of(answer.text, "figure-activities-implemented")
    assert f'value="{HUGE}"' in answer.text  # what was typed stays


@pytest.fixture
def on_a_council(
    portal_on_every_service: TestClient,
    scoring_keeps_the_plan: None,
    scoring: TestClient,
    submissions: TestClient,
) -> tuple[TestClient, str]:
    """The portal signed in as the reviewer, who sits on the council of the initiative named."""
    seed_campaign(submissions)
    initiative = awaiting_council(scoring)
    assert assign(scoring, initiative, ["CDDKVN-0101", "HD-2", "HD-3"]).status_code == 200
    assert sign_in(portal_on_every_service, "reviewer").status_code == 303
    return portal_on_every_service, str(initiative)


def test_a_score_past_a_float_is_refused_beside_its_criterion(
    on_a_council: tuple[TestClient, str],
) -> None:
    portal, initiative = on_a_council
    page = portal.get(f"/portal/hoi-dong/{initiative}")
    form = {f"score-{code}": "8" for code in CODES} | {"vote_for": "for"}
    answer = portal.post(
        f"/portal/hoi-dong/{initiative}/cham",
        data={**form, "score-novelty": HUGE, "_csrf": csrf_of(page)},
    )
    assert answer.status_code == 422, answer.text[:300]
    assert NUMBER_INVALID in error_of(answer.text, "score-novelty")


def test_a_sheets_score_past_a_float_is_refused_beside_its_cell(
    on_a_council: tuple[TestClient, str],
) -> None:
    portal, _ = on_a_council
    page = portal.get("/portal/hoi-dong/phieu-cham")
    rows = dict(re.findall(r'name="(row-\d+)" value="([0-9a-f-]{36})"', page.text))
    (row,) = (name.removeprefix("row-") for name in rows)
    sheet = {f"s-{row}-{code}": "8" for code in CODES} | {f"vote-{row}": "for"}
    answer = portal.post(
        "/portal/hoi-dong/phieu-cham",
        data={**rows, **sheet, f"s-{row}-novelty": HUGE, "_csrf": csrf_of(page)},
    )
    assert answer.status_code == 422, answer.text[:300]
    assert NUMBER_INVALID in error_of(answer.text, f"s-{row}-novelty")


def complaint(portal: TestClient, summary: str) -> bytes:
    """PVGAS's officer's complaint form, url-encoded as a browser sends it, but for the
    summary, written into the body as given (already percent-encoded)."""
    page = portal.get("/portal/khieu-nai")
    key = re.search(r'name="key" value="([^"]+)"', page.text)
    assert key
    hidden = urlencode({"_csrf": csrf_of(page), "key": key.group(1)})
    typed = f"unit_code=PVGAS-KCM&received_on=01%2F03%2F2022&summary={summary}"
    return f"{hidden}&{typed}".encode("ascii")


def post_form(portal: TestClient, path: str, body: bytes) -> httpx.Response:
    answer: httpx.Response = portal.post(
        path,
        content=body,
        headers={"content-type": "application/x-www-form-urlencoded", "origin": PORTAL},
        follow_redirects=False,
    )
    return answer


def test_a_field_whose_bytes_are_not_utf8_is_refused_naming_it(portal: TestClient) -> None:
    """Starlette decodes a form's %FF as U+FFFD: it was stored so, the text typed lost."""
    sign_in(portal, "officer-pvgas")
    summary = quote("Đơn khiếu nại BB8") + "%FF%FE"
    answer = post_form(portal, "/portal/khieu-nai", complaint(portal, summary))
    assert answer.status_code == 422
    assert "<code>summary</code>: Không phải văn bản UTF-8 hợp lệ" in answer.text
    assert "Đơn khiếu nại BB8" not in portal.get("/portal/khieu-nai").text
    english = post_form(portal, "/portal/khieu-nai?lang=en", complaint(portal, summary))
    assert "<code>summary</code>: Not valid UTF-8 text" in english.text


def test_the_testers_title_is_refused_too(portal: TestClient) -> None:
    sign_in(portal, "officer-pvgas")
    token = csrf_of(portal.get("/portal/sang-kien/moi"))
    answer = post_form(portal, "/portal/sang-kien/moi", f"_csrf={token}&title=BB8%FF%FE".encode())
    assert answer.status_code == 422
    assert "<code>title</code>: Không phải văn bản UTF-8 hợp lệ" in answer.text


def test_a_replacement_character_typed_as_utf8_is_text_like_any_other(portal: TestClient) -> None:
    """U+FFFD sent as its UTF-8 bytes (%EF%BF%BD) is valid text, taken as typed."""
    sign_in(portal, "officer-pvgas")
    summary = quote("Đơn khiếu nại \ufffd ký tự thay thế")
    answer = post_form(portal, "/portal/khieu-nai", complaint(portal, summary))
    assert answer.status_code == 303
    assert "Đơn khiếu nại \ufffd ký tự thay thế" in portal.get("/portal/khieu-nai").text


def test_a_field_name_whose_bytes_are_not_utf8_is_refused_too(portal: TestClient) -> None:
    sign_in(portal, "officer-pvgas")
    body = complaint(portal, quote("Đơn khiếu nại hợp lệ")) + b"&x%FF=1"
    answer = post_form(portal, "/portal/khieu-nai", body)
    assert answer.status_code == 422
    assert "Không phải văn bản UTF-8 hợp lệ" in answer.text


def sent_from(portal: TestClient, form: dict[str, str], **headers: str) -> httpx.Response:
    """The settings form posted with exactly these of Origin and Referer (the fixture's client
    sends an Origin with every request, as a browser does)."""
    request = portal.build_request("POST", "/portal/cai-dat", data=form, headers=headers)
    if "origin" not in headers:
        del request.headers["origin"]
    answer: httpx.Response = portal.send(request, follow_redirects=False)
    return answer


def test_a_post_with_neither_origin_nor_referer_is_refused(portal: TestClient) -> None:
    """The README: every POST must come from the portal's own origin (Origin, else Referer).
    With neither it was taken on the token alone (a 303)."""
    assert sign_in(portal, "member-pvgas").status_code == 303
    token = csrf_of(portal.get("/portal/cai-dat"))
    form = {"_csrf": token, "email": "an@example.org", "language": "vi"}
    assert sent_from(portal, form).status_code == 403
    assert sent_from(portal, form, referer=f"{PORTAL}/portal/cai-dat").status_code == 303
    assert sent_from(portal, form, origin=PORTAL).status_code == 303
