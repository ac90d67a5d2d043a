"""A form that creates something carries, hidden, the Idempotency-Key the page wrote into it (a
uuid4); the portal sends on only such a key and puts a fresh one in place of anything else
(services.portal.forms.idempotency_key).

A fuzz found each of these forms copying its key into the request header as posted: 36 × "é"
was a 500 (UnicodeEncodeError), a NUL or a line break a 503 ("the service does not answer")."""

import re
import uuid
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from services.portal.forms import idempotency_key
from services.submissions.initiatives.attachments import MAGIC
from shared import contracts
from tests.unit.conftest import MEMBER_AN, submitted_by_an
from tests.unit.portal_helpers import csrf_of, sign_in
from tests.unit.submissions_helpers import outbox_events

OURS = str(uuid.uuid4())

NOT_OURS = {
    "non-ascii": "é" * 36,
    "nul": "\x00" * 36,
    "line break": "a" * 17 + "\r\n" + "b" * 17,
    "not a uuid": "k" * 36,
    "too long": "k" * 5000,
    "capitals": OURS.upper(),
    "braces": "{" + OURS + "}",
    "no hyphens": OURS.replace("-", ""),
    "a uuid1": str(uuid.uuid1()),
    "arabic-indic digits": "٠" * 32,
}


def test_the_key_our_page_wrote_is_sent_on() -> None:
    assert idempotency_key({"key": OURS}) == OURS
    assert idempotency_key({"idempotency_key": OURS}, "idempotency_key") == OURS


@pytest.mark.parametrize("case", NOT_OURS)
def test_any_other_key_is_replaced_by_a_fresh_uuid4(case: str) -> None:
    fresh = idempotency_key({"key": NOT_OURS[case]})
    assert fresh != NOT_OURS[case]
    assert str(uuid.UUID(fresh)) == fresh and uuid.UUID(fresh).version == 4


def test_no_key_at_all_gets_a_fresh_one_each_time() -> None:
    assert idempotency_key({}) != idempotency_key({})


# Through the three forms the fuzz found: each request is taken (with a fresh key), none is a
# 5xx. In process, a line break reaches the service unrefused (the network's h11 refuses it:
# the fuzz's 503); the key's own test above covers it.
SENT = ("non-ascii", "line break", "not a uuid")


def post_form(
    portal: TestClient,
    user: str,
    page: str,
    data: dict[str, str],
    action: str | None = None,
    **options: Any,
) -> httpx.Response:
    """`data` posted by `user` through the form on `page`, to its `action` (the page itself by
    default), with the CSRF token the page wrote; `options` go on to the request."""
    sign_in(portal, user)
    token = csrf_of(portal.get(page))
    answer: httpx.Response = portal.post(action or page, data={"_csrf": token, **data}, **options)
    return answer


@pytest.mark.parametrize("case", SENT)
def test_a_complaint_posted_with_a_key_not_ours_is_recorded(portal: TestClient, case: str) -> None:
    summary = f"Đơn khiếu nại gửi kèm khoá lạ ({case})"
    answer = post_form(
        portal,
        "officer-pvgas",
        "/portal/khieu-nai",
        {
            "key": NOT_OURS[case],
            "unit_code": "PVGAS-KCM",
            "summary": summary,
            "received_on": "01/03/2022",
        },
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text[:300]
    assert summary in portal.get("/portal/khieu-nai").text


@pytest.mark.parametrize("case", SENT)
def test_a_subscriber_posted_with_a_key_not_ours_is_registered(
    portal: TestClient, case: str
) -> None:
    answer = post_form(
        portal,
        "admin",
        "/portal/quan-tri/webhook",
        {
            "key": NOT_OURS[case],
            "name": "Hệ thống HR",
            "url": "https://93.184.216.34/hooks/thidua",
            "event_types": "vn.congdoandaukhi.thidua.award.granted.v1",
        },
    )
    assert answer.status_code == 201, re.sub(r"<[^>]+>", " ", answer.text)[:300]


@pytest.mark.parametrize("case", SENT)
def test_an_attachment_posted_with_a_key_not_ours_is_attached(
    portal: TestClient, submissions: TestClient, case: str
) -> None:
    initiative = submitted_by_an(submissions)
    answer = post_form(
        portal,
        "member-pvgas",  # An, its author
        f"/portal/sang-kien/{initiative}",
        {"idempotency_key": NOT_OURS[case]},
        action=f"/portal/sang-kien/{initiative}/tep",
        files={"file": ("ban-ve.pdf", MAGIC["application/pdf"] + b"x" * 100, "application/pdf")},
        follow_redirects=False,
    )
    assert answer.status_code == 303, re.sub(r"<[^>]+>", " ", answer.text)[:300]
    assert "ban-ve.pdf" in portal.get(f"/portal/sang-kien/{initiative}").text


def test_the_amend_form_amends_once_per_change_however_often_it_is_sent(
    portal: TestClient, submissions: TestClient
) -> None:
    """A double click sends the same changes with the same key: one amendment. The same form
    sent again with other changes (after Back, say) is another amendment, not a refusal of
    the first one's key reused (a review found that 422 for good)."""
    initiative = submitted_by_an(submissions)
    page = f"/portal/sang-kien/{initiative}/sua"
    sign_in(portal, "member-pvgas")  # An, its author
    shown = portal.get(page)
    key = re.search(r'name="idempotency_key" value="([^"]+)"', shown.text)
    assert key, "the amend form carries no key"
    typed = {
        "_csrf": csrf_of(shown),
        "idempotency_key": key.group(1),
        "unit_code": "PVGAS-KCM",
        "field": "technical",
        "problem": "Máy nén dừng đột xuất nhiều lần mỗi quý.",
        "solution": "Bảo dưỡng theo tình trạng dựa trên đo rung động.",
        "expected_benefit_vnd": "350.000.000",
        "authors-0-member_id": "PVGAS-0012",
        "authors-0-full_name": "Nguyễn Văn An",
        "authors-0-share_percent": "100",
    }

    def amended_titles() -> list[str]:
        amended = outbox_events(submissions, contracts.InitiativeAmended)
        return [e["title"] for e in amended if e["initiative_id"] == initiative]

    for title in ("Tên sửa lần một", "Tên sửa lần một", "Tên sửa lần hai", "Tên sửa lần một"):
        sent = portal.post(page, data=typed | {"title": title}, follow_redirects=False)
        assert sent.status_code == 303, re.sub(r"<[^>]+>", " ", sent.text)[:300]
    # The last, the first changes again after the second: made, not replayed and lost.
    assert amended_titles() == ["Tên sửa lần một", "Tên sửa lần hai", "Tên sửa lần một"]
    assert (
        submissions.get(f"/api/v1/initiatives/{initiative}", headers=MEMBER_AN).json()["title"]
        == "Tên sửa lần một"
    )
