"""Acting for a unit (the tree, registrations, reports, complaints) is for a unit officer or a
federation admin: anyone else is refused (403) before the body is validated, so that a member
is told the same for a malformed body as for a good one, and learns nothing from the shape."""

import logging
from typing import Any
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient

from services.submissions.demo import token
from shared.auth import Role
from tests.unit.conftest import MEMBER_AN, OFFICER_PVGAS

REVIEWER = token("CDDKVN-0101", "CDDKVN", Role.REVIEWER)
SOME_ID = uuid4()
UNIT_ACTS = [
    "/api/v1/units",
    "/api/v1/registrations",
    f"/api/v1/registrations/{SOME_ID}/submit",
    f"/api/v1/registrations/{SOME_ID}/approve",
    f"/api/v1/registrations/{SOME_ID}/return",
    "/api/v1/reports",
    "/api/v1/complaints",
    f"/api/v1/complaints/{SOME_ID}/resolve",
]


@pytest.mark.parametrize("path", UNIT_ACTS)
@pytest.mark.parametrize("caller", [MEMBER_AN, REVIEWER], ids=["member", "reviewer"])
def test_a_malformed_body_from_another_role_is_refused_for_the_role(
    submissions: TestClient, path: str, caller: dict[str, str]
) -> None:
    answer = submissions.post(path, json={"unit_code": 7}, headers=caller)
    assert answer.status_code == 403, answer.text
    assert answer.json()["errors"][0]["code"] == "forbidden_role"


def test_an_import_from_another_role_is_refused_before_its_file_is_asked_for(
    submissions: TestClient,
) -> None:
    answer = submissions.post("/api/v1/units/import", headers=MEMBER_AN)
    assert answer.status_code == 403, answer.text


@pytest.mark.parametrize("path", ["/api/v1/reports", "/api/v1/complaints"])
def test_an_officer_still_gets_the_bodys_faults(submissions: TestClient, path: str) -> None:
    answer = submissions.post(path, json={"unit_code": 7}, headers=OFFICER_PVGAS)
    assert answer.status_code == 422, answer.text


# What the input guard and FastAPI refuse before any route runs: a body that is not JSON, a
# control character, a number beyond 64 bits, a form that is not one, the wrong media type.
UNREADABLE: dict[str, dict[str, Any]] = {
    "not JSON": {"content": b"{", "headers": {"content-type": "application/json"}},
    "a huge number": {"content": b'{"a": 1' + b"1" * 40 + b"}"},
    "a control character": {"json": {"summary": "a\u0001b"}},
    "a broken form": {
        "content": b"--zz\r\nbroken",
        "headers": {"content-type": "multipart/form-data; boundary=zz"},
    },
    "not a JSON media type": {"content": b"<a/>", "headers": {"content-type": "application/xml"}},
}


@pytest.mark.parametrize("sent", UNREADABLE.values(), ids=list(UNREADABLE))
@pytest.mark.parametrize(
    "path", ["/api/v1/reports", f"/api/v1/complaints/{SOME_ID}/resolve", "/api/v1/units/import"]
)
def test_what_cannot_be_read_is_refused_for_the_role_first(
    submissions: TestClient, path: str, sent: dict[str, Any]
) -> None:
    headers = {**sent.get("headers", {}), **MEMBER_AN}
    answer = submissions.post(path, **{**sent, "headers": headers})
    assert answer.status_code == 403, answer.text
    assert answer.json()["errors"][0]["code"] == "forbidden_role"
    anonymous = submissions.post(path, **sent)
    assert anonymous.status_code == 401, anonymous.text
    officer = submissions.post(
        path, **{**sent, "headers": {**sent.get("headers", {}), **OFFICER_PVGAS}}
    )
    assert officer.status_code in (400, 415, 422), officer.text  # their input, refused as such


def test_a_control_character_in_the_path_is_refused_for_the_role_first(
    submissions: TestClient,
) -> None:
    answer = submissions.post("/api/v1/complaints/a%0Ab/resolve", json={}, headers=MEMBER_AN)
    assert answer.status_code == 403, answer.text


def test_a_refusal_for_the_role_is_logged_once_even_for_an_unreadable_body(
    submissions: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    sent = UNREADABLE["not JSON"]
    answer = submissions.post(
        "/api/v1/reports", **{**sent, "headers": {**sent["headers"], **MEMBER_AN}}
    )
    assert answer.status_code == 403
    refusals = [
        r for r in caplog.records if r.levelno == logging.WARNING and "refused" in r.getMessage()
    ]
    assert len(refusals) == 1, [r.getMessage() for r in refusals]
