"""The federation admin's portal pages, on the real submissions, scoring and notifications apps
in process (SQLite, Kafka unreachable): a refused campaign file shown line by line with each
problem beside the line it names, a phase refused then closed by force, the union tree and a
unit's page, a subscriber's secret shown once and rotated, a contact edited; and the pure
helpers (where a problem's location lies in the file, the tree of units, event type names)."""

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, create_engine

from services.notifications.tables import Delivery
from services.portal.client import ApiError, errors_of, items_of
from services.portal.pages.admin_awards import DECIDABLE, by_status
from services.portal.pages.admin_subscribers import STATUSES, short_type
from services.portal.pages.admin_tree import tree_of
from services.portal.pages.campaigns import annotated, line_of
from services.portal.words import WORDS
from services.scoring.tables import Award
from services.submissions.demo import seed_contacts
from shared.contracts import EVENT_TYPES
from shared.contracts.base import EVENT_TYPE_PREFIX
from shared.contracts.bounds import CAMPAIGN_FILE_MAX_BYTES
from shared.contracts.vocabulary import REDELIVERABLE, AwardStatus, DeliveryStatus
from shared.i18n import CODE_LABELS
from tests.unit.event_examples import granted
from tests.unit.portal_helpers import csrf_of, dev_token, sign_in

REPO = Path(__file__).resolve().parents[2]
FILE = """schema_version: 1
code: "2031"
phases:
  - code: dot-1
    name: Đợt 1
  - code: dot-2
    ends_on: 2031-13-01
"""


def test_a_path_location_is_the_line_where_its_key_is_written() -> None:
    assert line_of(FILE, "code") == 2
    assert line_of(FILE, "phases") == 3
    assert line_of(FILE, "phases[0]") == 4
    assert line_of(FILE, "phases[1].ends_on") == 7
    # A missing key: where its parent begins; one past the list: the list's last place seen.
    assert line_of(FILE, "phases[0].starts_on") == 4
    assert line_of(FILE, "period") == 1


def test_a_written_line_or_the_root_or_unreadable_yaml() -> None:
    assert line_of(FILE, "dòng 5, cột 3 / line 5, column 3") == 5
    assert line_of(FILE, "(gốc tài liệu / document root)") is None
    assert line_of("code: [unclosed", "code") is None
    assert line_of("", "code") is None


def test_problems_are_put_beside_their_lines_and_the_rest_listed() -> None:
    problems = [
        ApiError(
            field="phases[1].ends_on",
            code="date_from_datetime_parsing",
            message_vi="Ngày sai",
            message_en="Bad date",
        ),
        ApiError(
            field="(gốc tài liệu / document root)",
            code="missing",
            message_vi="Thiếu",
            message_en="Missing",
        ),
    ]
    lines, unplaced = annotated(FILE, problems)
    assert [line.number for line in lines if line.problems] == [7]
    assert lines[6].problems == [problems[0]] and lines[6].text == "    ends_on: 2031-13-01"
    assert unplaced == [problems[1]]


def test_an_api_error_body_is_read_by_the_services_declaration_of_it() -> None:
    refused = {
        "errors": [
            {"field": "name", "code": "missing", "message_vi": "Thiếu", "message_en": "Missing"},
            {"row": 3, "field": "code", "code": "x", "message_vi": "Sai", "message_en": "Bad"},
        ]
    }
    named, in_row = errors_of(httpx.Response(422, json=refused))
    assert (named.field, named.code, named.message_vi, named.message_en, named.row) == (
        "name",
        "missing",
        "Thiếu",
        "Missing",
        None,
    )
    assert (in_row.field, in_row.row) == ("code", 3)
    # Not the services' shape (a proxy's page, FastAPI's own, no entries): one generic error.
    for other in (
        httpx.Response(502, text="<html>Bad gateway</html>"),
        httpx.Response(422, json={"detail": [{"loc": ["body"], "msg": "x"}]}),
        httpx.Response(409, json={"errors": []}),
    ):
        (generic,) = errors_of(other)
        assert generic.code == f"http_{other.status_code}"
        assert generic.message_en == f"The system answered with error {other.status_code}"
    # An entry the portal cannot read is passed over; the others are still shown.
    partly = {"errors": [{"field": None, "code": "x"}, refused["errors"][0]]}
    (kept,) = errors_of(httpx.Response(422, json=partly))
    assert kept == named


def test_a_list_is_read_from_an_answer_that_is_a_list() -> None:
    request = httpx.Request("GET", "http://submissions/api/v1/units")
    assert items_of(httpx.Response(200, json=[{"code": "BSR"}], request=request)) == [
        {"code": "BSR"}
    ]
    assert items_of(httpx.Response(503, json={"errors": []}, request=request)) == []
    with pytest.raises(TypeError, match="/api/v1/units answers dict"):
        items_of(httpx.Response(200, json={"items": []}, request=request))


def test_units_become_branches_under_their_parents() -> None:
    units: list[dict[str, Any]] = [
        {"code": "A", "parent_code": None},
        {"code": "A1", "parent_code": "A"},
        {"code": "A11", "parent_code": "A1"},
        {"code": "A2", "parent_code": "A"},
        {"code": "X", "parent_code": "GONE"},
    ]
    roots = tree_of(units)
    assert [r.unit["code"] for r in roots] == ["A", "X"]
    assert [c.unit["code"] for c in roots[0].children] == ["A1", "A2"]
    assert roots[0].size == 3 and roots[1].size == 0


def test_event_types_are_listed_by_their_short_names() -> None:
    assert short_type("vn.congdoandaukhi.thidua.award.granted.v1") == "award.granted"
    assert short_type("other.kind") == "other.kind"
    # Every contract's type, by the prefix the contracts declare.
    assert all(EVENT_TYPE_PREFIX + short_type(kind) + ".v1" == kind for kind in EVENT_TYPES)


def test_the_awards_page_groups_every_status_of_the_vocabulary_with_its_words() -> None:
    """Its groups are AwardStatus's, in its order; each group is headed, and the ones an admin
    decides on (shown even empty) say so when empty."""
    groups = by_status([{"status": "confirmed", "grant": {}}, {"status": "proposed", "grant": {}}])
    assert list(groups) == list(AwardStatus)
    assert [len(groups[status]) for status in DECIDABLE] == [1, 1]
    for status in AwardStatus:
        assert f"awd.group_{status}" in WORDS
    for status in DECIDABLE:
        assert f"awd.none_{status}" in WORDS


@pytest.fixture
def portal(portal_on_every_service: TestClient) -> TestClient:
    """The portal on every service it calls (tests/unit/conftest.py)."""
    return portal_on_every_service


def _publish(portal: TestClient, text: str) -> httpx.Response:
    page = portal.get("/portal/quan-tri/ke-hoach")
    key = re.search(r'name="key" value="([^"]+)"', page.text)
    assert key
    answer: httpx.Response = portal.post(
        "/portal/quan-tri/ke-hoach",
        data={"_csrf": csrf_of(page), "key": key.group(1)},
        files={"campaign_file": ("ke-hoach.yaml", text.encode(), "application/yaml")},
    )
    return answer


def test_admin_publishes_a_bad_file_then_a_good_one_and_closes_a_phase(
    portal: TestClient,
) -> None:
    sign_in(portal, "admin")
    good = (REPO / "campaigns" / "examples" / "2023.yaml").read_text()
    bad = good.replace("    ends_on: 2023-04-30", "    ends_on: 30/04/2023", 1)
    refused = _publish(portal, bad)
    assert refused.status_code == 422
    wrong_line = next(n for n, line in enumerate(bad.splitlines(), 1) if "30/04/2023" in line)
    beside = re.search(
        rf'<li id="line-{wrong_line}"[^>]*class="has-problem">(.*?)</li>', refused.text, re.S
    )
    assert beside, "the problem is not beside the line that names it"
    assert "phases[0].ends_on" in beside.group(1)
    assert f'<a href="#line-{wrong_line}">1 lỗi' in refused.text

    page = _publish(portal, good)  # redirected to the list
    assert page.status_code == 200
    assert "Đã ban hành kế hoạch thi đua 2023." in page.text
    assert 'id="phase-2023-dot-1"' in page.text

    opened = portal.post("/portal/quan-tri/ke-hoach/2023/dot-1/mo", data={"_csrf": csrf_of(page)})
    assert "Đã mở dot-1 của kế hoạch 2023." in opened.text
    # Before its last day and not forced: refused, the API's words shown in the form.
    close = "/portal/quan-tri/ke-hoach/2023/dot-1/dong"
    form = {"_csrf": csrf_of(page), "close-2023-dot-1-closed_on": "15/03/2023"}
    early = portal.post(close, data=form)
    assert early.status_code in (409, 422)
    assert "error-summary" in early.text and '<details class="close-phase" open>' in early.text
    forced = {
        "close-2023-dot-1-force": "on",
        "close-2023-dot-1-reason": "Sơ kết sớm theo chỉ đạo của Ban Thường vụ",
    }
    closed = portal.post(close, data=form | forced)
    assert "Đã đóng dot-1 của kế hoạch 2023." in closed.text
    assert "Đóng ngày 15/03/2023" in closed.text


def test_a_campaign_file_past_the_contracts_bound_is_refused_with_that_bound(
    portal: TestClient,
) -> None:
    """The portal refuses a file the API would (shared.contracts.bounds), and says the bound
    the API holds it to, not one of its own."""
    sign_in(portal, "admin")
    limit_kb = CAMPAIGN_FILE_MAX_BYTES // 1024
    refused = _publish(portal, "#" * (CAMPAIGN_FILE_MAX_BYTES + 1))
    assert refused.status_code == 413
    assert f"Tệp quá lớn (tối đa {limit_kb} KB)" in refused.text
    assert _publish(portal, "#" * CAMPAIGN_FILE_MAX_BYTES).status_code == 422  # read, not YAML


def test_admin_reads_the_tree_a_unit_and_edits_a_contact(
    portal: TestClient, notifications: TestClient
) -> None:
    seed_contacts(notifications)
    sign_in(portal, "admin")
    tree = portal.get("/portal/quan-tri/don-vi")
    assert tree.status_code == 200
    assert '<details class="branch" open>' in tree.text
    assert 'href="/portal/quan-tri/don-vi/PVGAS"' in tree.text
    unit = portal.get("/portal/quan-tri/don-vi/PVGAS?lang=en")
    assert unit.status_code == 200 and "Parent unit" in unit.text
    assert portal.get("/portal/quan-tri/don-vi/KHONG-CO").status_code == 404

    contacts = portal.get("/portal/quan-tri/lien-he?unit=PVGAS&lang=vi")
    assert contacts.status_code == 200
    person = re.search(r'action="/portal/quan-tri/lien-he/([^"]+)"', contacts.text)
    assert person, "no contact listed for PVGAS"
    name = re.search(r'name="full_name" value="([^"]+)"', contacts.text)
    assert name
    form = {
        "_csrf": csrf_of(contacts),
        "full_name": name.group(1),
        "unit_code": "PVGAS",
        "language": "en",
        "daily_digest": "on",
    }
    refused = portal.post(
        f"/portal/quan-tri/lien-he/{person.group(1)}", data={**form, "email": "khong-phai-email"}
    )
    assert refused.status_code == 422 and 'aria-invalid="true"' in refused.text
    saved = portal.post(
        f"/portal/quan-tri/lien-he/{person.group(1)}", data={**form, "email": "cb@pvgas.example"}
    )
    assert "Đã lưu liên hệ của" in saved.text
    listed = portal.get("/portal/quan-tri/lien-he?unit=PVGAS")
    assert 'value="cb@pvgas.example"' in listed.text


def test_admin_registers_a_subscriber_sees_its_secret_once_and_rotates_it(
    portal: TestClient,
) -> None:
    sign_in(portal, "admin")
    page = portal.get("/portal/quan-tri/webhook")
    form = {"_csrf": csrf_of(page), "name": "Hệ thống HR"}
    refused = portal.post("/portal/quan-tri/webhook", data=form | {"url": "khong phai url"})
    assert refused.status_code == 422 and 'id="url-error"' in refused.text
    good = {
        "url": "https://93.184.216.34/hooks/thidua",
        "event_types": "vn.congdoandaukhi.thidua.award.granted.v1",
    }
    created = portal.post("/portal/quan-tri/webhook", data=form | good)
    # A public address written as an IP: nothing to resolve, so accepted wherever this runs.
    assert created.status_code == 201, re.sub(r"<[^>]+>", " ", created.text)[:300]
    secret = re.search(r'<code id="secret-value">([^<]+)</code>', created.text)
    assert secret
    again = portal.get("/portal/quan-tri/webhook")
    assert secret.group(1) not in again.text  # shown once
    subscriber = re.search(r'action="/portal/quan-tri/webhook/([0-9a-f-]+)/doi-khoa"', again.text)
    assert subscriber
    rotated = portal.post(
        f"/portal/quan-tri/webhook/{subscriber.group(1)}/doi-khoa",
        data={"_csrf": csrf_of(again)},
    )
    new = re.search(r'<code id="secret-value">([^<]+)</code>', rotated.text)
    assert new and new.group(1) != secret.group(1)
    off = portal.post(
        f"/portal/quan-tri/webhook/{subscriber.group(1)}/ngung", data={"_csrf": csrf_of(again)}
    )
    assert "Đã ngừng gửi tới Hệ thống HR." in off.text


def test_the_delivery_log_filters_by_the_vocabularys_statuses_in_its_words() -> None:
    """Its statuses are DeliveryStatus's, in its order, named by the vocabulary's labels (the
    portal's catalogue says none of them again); "Gửi lại" is offered where notifications
    sends again (REDELIVERABLE)."""
    assert tuple(DeliveryStatus) == STATUSES
    assert not [key for key in WORDS if key.startswith("sub.status_")]


def _deliveries(folder: Path, statuses: list[DeliveryStatus]) -> dict[str, UUID]:
    """A delivery in each status, as notifications' worker leaves them (not due for years:
    the worker running under the test claims none)."""
    engine = create_engine(f"sqlite:///{folder / 'db.sqlite3'}")
    ids = {status.value: uuid4() for status in statuses}
    later = datetime(2099, 1, 1, tzinfo=UTC)
    with Session(engine) as session:
        for status, delivery_id in ids.items():
            session.add(
                Delivery(
                    id=delivery_id,
                    event_id=uuid4(),
                    event_type="vn.congdoandaukhi.thidua.award.granted.v1",
                    recipient_id=f"hr-{status}",
                    channel="webhook",
                    destination=f"https://93.184.216.34/{status}",
                    subject="",
                    body="{}",
                    status=status,
                    next_attempt_at=later,
                    created_at=datetime(2022, 7, 5, tzinfo=UTC),
                )
            )
        session.commit()
    engine.dispose()
    return ids


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_delivery_log_shows_each_status_in_the_vocabularys_words(
    portal: TestClient, notifications: TestClient, tmp_path: Path, lang: str
) -> None:
    ids = _deliveries(tmp_path / "notifications", list(DeliveryStatus))
    sign_in(portal, "admin")
    page = portal.get(f"/portal/quan-tri/webhook?lang={lang}").text
    labels = {code: pair[lang == "en"] for code, pair in CODE_LABELS["delivery_status"].items()}
    options = re.findall(r'<option value="(\w+)"[^>]*>([^<]+)</option>', page)
    assert options == [(status.value, labels[status]) for status in DeliveryStatus]
    for status, delivery_id in ids.items():
        row = re.search(rf'<tr id="delivery-{delivery_id}">(.*?)</tr>', page, re.S)
        assert row, status
        assert f'badge-delivery-{status}">{labels[status]}<' in row.group(1)
        offered = f"/portal/quan-tri/webhook/gui-lai/{delivery_id}" in row.group(1)
        assert offered == (status in REDELIVERABLE), status
    dead = portal.get("/portal/quan-tri/webhook?status=dead").text
    assert f'id="delivery-{ids["dead"]}"' in dead and f'id="delivery-{ids["sent"]}"' not in dead


def _propose(folder: Path, recipients: list[tuple[str, str]]) -> list[UUID]:
    """Award proposals as scoring writes them at a phase's close (its consumer is not running
    here): rows of its own table, in its own database."""
    engine = create_engine(f"sqlite:///{folder / 'db.sqlite3'}")
    ids = []
    with Session(engine) as session:
        for unit, name in recipients:
            grant = granted(
                "proposed",
                datetime(2022, 7, 5, 2, tzinfo=UTC),
                award_id=uuid4(),
                recipient_kind="unit",
                recipient_id=unit,
                recipient_name=name,
                unit_code=unit,
                reasons=("Hoàn thành 7/7 chỉ tiêu",),
            )
            session.add(
                Award(
                    id=grant.award_id,
                    campaign_code="2022",
                    phase_code="dot-1",
                    status="proposed",
                    grant=grant.model_dump(mode="json"),
                )
            )
            ids.append(grant.award_id)
        session.commit()
    engine.dispose()
    return ids


def test_admin_confirms_rejects_and_revokes_award_proposals(
    portal: TestClient, scoring: TestClient, tmp_path: Path
) -> None:
    confirm, reject = _propose(
        tmp_path / "scoring",
        [("PVGAS", "Công đoàn Tổng công ty Khí Việt Nam"), ("BSR", "Công đoàn BSR")],
    )
    sign_in(portal, "admin")
    page = portal.get("/portal/quan-tri/khen-thuong?campaign=2022&phase=dot-1")
    assert f'id="award-{confirm}"' in page.text and f'id="award-{reject}"' in page.text
    token = csrf_of(page)
    done = portal.post(
        f"/portal/quan-tri/khen-thuong/{confirm}/confirm",
        data={"_csrf": token, "campaign": "2022", "phase": "dot-1"},
    )
    assert "Đã phê duyệt Bằng khen của Công đoàn Dầu khí Việt Nam cho Công đoàn Tổng" in done.text
    assert 'id="decision-link"' in done.text and "(DOCX, 1 khen thưởng)" in done.text
    short = portal.post(
        f"/portal/quan-tri/khen-thuong/{reject}/reject",
        data={"_csrf": token, "campaign": "2022", "phase": "dot-1", "reason": "x"},
    )
    assert short.status_code == 422 and f'id="reason-{reject}-error"' in short.text
    portal.post(
        f"/portal/quan-tri/khen-thuong/{reject}/reject",
        data={"_csrf": token, "campaign": "2022", "phase": "dot-1", "reason": "Chưa đủ hồ sơ"},
    )
    portal.post(
        f"/portal/quan-tri/khen-thuong/{confirm}/revoke",
        data={
            "_csrf": token,
            "campaign": "2022",
            "phase": "dot-1",
            "reason": "Số liệu báo cáo sai",
        },
    )
    admin = {"Authorization": "Bearer " + dev_token("admin")}
    listed = {
        a["id"]: a
        for a in scoring.get(
            "/api/v1/awards", params={"campaign_code": "2022"}, headers=admin
        ).json()
    }
    assert (listed[str(confirm)]["status"], listed[str(confirm)]["revoke_reason"]) == (
        "revoked",
        "Số liệu báo cáo sai",
    )
    assert (listed[str(reject)]["status"], listed[str(reject)]["reject_reason"]) == (
        "rejected",
        "Chưa đủ hồ sơ",
    )
    shown = portal.get("/portal/quan-tri/khen-thuong?campaign=2022&phase=dot-1&lang=en")
    assert "Revoked awards (1)" in shown.text and "Rejected proposals (1)" in shown.text


def test_awards_page_shows_the_phase_and_no_proposals_yet(portal: TestClient) -> None:
    sign_in(portal, "admin")
    page = portal.get("/portal/quan-tri/khen-thuong")
    assert page.status_code == 200
    assert "Không có đề nghị nào chờ phê duyệt trong đợt này." in page.text
    # Nothing confirmed: no decision to draft, so no link to one, and the page says when.
    assert 'id="decision-link"' not in page.text
    assert "Dự thảo quyết định có khi đợt này có khen thưởng được phê duyệt." in page.text


def test_only_admins_are_offered_or_served_the_admin_pages(portal: TestClient) -> None:
    sign_in(portal, "officer-pvgas")
    assert 'href="/portal/quan-tri"' not in portal.get("/portal").text
    for path in ("", "/ke-hoach", "/don-vi", "/khen-thuong", "/webhook", "/lien-he"):
        assert portal.get(f"/portal/quan-tri{path}").status_code == 403, path
