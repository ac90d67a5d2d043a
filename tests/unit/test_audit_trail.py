"""The audit trail (issue 14, point 7): every change and every refusal, recorded by the
services' shared middleware (shared.http.audit) in each service's own database, read by
federation admins at GET /api/v1/audit: who changed an initiative's expected benefit, when, from
where and which fields; who confirmed an award; a 403 refusal; never a webhook's secret.

The apps as `create_app` builds them, on SQLite, Kafka unreachable."""

import logging
import sys
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import exc as sa_exc
from sqlalchemy import text

from services.submissions.demo import CAMPAIGN
from shared.campaign.loader import load_campaign
from shared.http import audit as audit_module
from tests.unit.award_helpers import add, award
from tests.unit.conftest import (
    ADMIN,
    MEMBER_AN,
    MEMBER_BINH,
    OFFICER_PVGAS,
    initiative_body,
    submitted_by_an,
)

FROM_THE_OFFICE = {"user-agent": "Mozilla/5.0 (van-phong-cong-doan)"}


def audit(client: TestClient, **filters: Any) -> list[dict[str, Any]]:
    response = client.get("/api/v1/audit", params=filters, headers=ADMIN)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def test_who_changed_an_initiatives_expected_benefit_when_from_where_and_which_fields(
    submissions: TestClient,
) -> None:
    initiative_id = submitted_by_an(submissions)
    changed = submissions.patch(
        f"/api/v1/initiatives/{initiative_id}",
        json={"expected_benefit_vnd": 420_000_000},
        headers=MEMBER_AN | FROM_THE_OFFICE,
    )
    assert changed.status_code == 200, changed.text

    found = audit(submissions, target_id=initiative_id)
    # Newest first: the change, then the creation (its id read off the answer).
    assert [(e["method"], e["status"]) for e in found] == [("PATCH", 200), ("POST", 201)]
    change = found[0]
    assert change["subject"] == "PVGAS-0012"
    assert change["roles"] == ["member"]
    assert change["unit_code"] == "PVGAS-KCM"
    assert change["route"] == "/api/v1/initiatives/{initiative_id}"
    assert change["path"] == f"/api/v1/initiatives/{initiative_id}"
    assert change["fields"] == {"expected_benefit_vnd": 420_000_000}
    assert change["client_address"] == "testclient"
    assert change["user_agent"] == FROM_THE_OFFICE["user-agent"]
    assert change["trace_id"] == changed.headers["x-correlation-id"]
    # Both moments in UTC, with their offset (the fuzzer found them without on SQLite).
    assert change["recorded_at"].endswith("Z") or change["recorded_at"].endswith("+00:00")
    assert change["campaign_time"].endswith("Z") or change["campaign_time"].endswith("+00:00")
    assert found[1]["fields"]["title"] == initiative_body()["title"]
    # Filters: by who, by path, by status; reads are not recorded.
    assert [e["id"] for e in audit(submissions, who="PVGAS-0012", status=200)] == [change["id"]]
    assert all(e["method"] != "GET" for e in audit(submissions, who="PVGAS-0012"))


def test_an_award_confirmation_is_found_with_who_confirmed_it(scoring: TestClient) -> None:
    proposed = award(
        load_campaign(CAMPAIGN),
        "bang-khen-ca-nhan-sang-kien-dot-1",
        "PVGAS-0012",
        "Nguyễn Văn An",
        "PVGAS-KCM",
        "proposed",
    )
    award_id = str(add(scoring, proposed))
    confirmed = scoring.post(f"/api/v1/awards/{award_id}/confirm", headers=ADMIN)
    assert confirmed.status_code == 200, confirmed.text
    [entry] = audit(scoring, target_id=award_id)
    assert (entry["subject"], entry["method"], entry["status"]) == ("CDDKVN-0001", "POST", 200)
    assert entry["route"] == "/api/v1/awards/{award_id}/confirm"
    assert entry["roles"] == ["federation_admin"]


def test_a_refusal_is_recorded_with_who_was_refused(submissions: TestClient) -> None:
    refused = submissions.post("/api/v1/campaigns", content=b"code: x", headers=MEMBER_BINH)
    assert refused.status_code == 403, refused.text
    [entry] = audit(submissions, status=403, who="BSR-0301")
    assert (entry["method"], entry["path"]) == ("POST", "/api/v1/campaigns")
    assert entry["unit_code"] == "BSR"
    # A GET refused is recorded too, and one without a token, as nobody.
    assert submissions.get("/api/v1/registrations", headers=MEMBER_BINH).status_code == 403
    assert audit(submissions, status=403, path_contains="/registrations")[0]["subject"] == (
        "BSR-0301"
    )
    assert submissions.get("/api/v1/registrations").status_code == 401
    [anonymous] = audit(submissions, status=401, path_contains="/registrations")
    assert anonymous["subject"] is None and anonymous["roles"] == []


def test_only_federation_admins_read_the_audit(
    submissions: TestClient, scoring: TestClient, notifications: TestClient
) -> None:
    for client in (submissions, scoring, notifications):
        assert client.get("/api/v1/audit", headers=OFFICER_PVGAS).status_code == 403
        assert client.get("/api/v1/audit", headers=MEMBER_AN).status_code == 403
        assert client.get("/api/v1/audit").status_code == 401
    # Those refusals are themselves in the trail.
    assert audit(notifications, path_contains="/api/v1/audit", status=403)


def test_a_webhook_subscribers_secret_never_appears_in_the_audit(
    notifications: TestClient,
) -> None:
    body = {"name": "Hệ thống nhân sự", "url": "https://example.org/hook"}
    created = notifications.post("/api/v1/subscribers", json=body, headers=ADMIN)
    assert created.status_code == 201, created.text
    subscriber = created.json()
    rotated = notifications.post(
        f"/api/v1/subscribers/{subscriber['id']}/rotate-secret", headers=ADMIN
    )
    assert rotated.status_code == 200, rotated.text
    # A client sending a secret of its own (not a field: refused) has it redacted too.
    sent = notifications.post(
        "/api/v1/subscribers", json=body | {"secret": "mat-khau-cua-toi-12345"}, headers=ADMIN
    )
    assert sent.status_code == 422 and sent.json()["errors"][0]["field"] == "secret"

    # A receiver's token in the address it is reached at is redacted too.
    tokened = body | {"url": "https://example.org/hook?source=thidua&token=nhan-vien-98765"}
    assert notifications.post("/api/v1/subscribers", json=tokened, headers=ADMIN).is_success

    page: httpx.Response = notifications.get("/api/v1/audit", headers=ADMIN)
    recorded = page.text
    assert subscriber["id"] in recorded  # the creation and the rotation are there
    secrets = (subscriber, rotated.json())
    for secret in [*(s["secret"] for s in secrets), "mat-khau-cua-toi-12345", "nhan-vien-98765"]:
        assert secret and secret not in recorded
    assert '"secret":"[redacted]"' in recorded.replace(" ", "")
    assert "source=thidua&token=[redacted]" in recorded


def test_a_trail_that_cannot_be_written_is_logged_and_the_request_still_succeeds(
    submissions: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    async def lose_the_table() -> None:
        async with submissions.app.state.sessions() as session:  # type: ignore[attr-defined]
            await session.execute(text("DROP TABLE audit_log"))
            await session.commit()

    submissions.portal.call(lose_the_table)  # type: ignore[union-attr]
    with caplog.at_level(logging.WARNING, logger="thidua.audit"):
        created = submissions.post("/api/v1/initiatives", json=initiative_body(), headers=MEMBER_AN)
        refused = submissions.get("/api/v1/registrations", headers=MEMBER_AN)
    assert created.status_code == 201, created.text
    assert refused.status_code == 403, refused.text
    lost = [r for r in caplog.records if r.getMessage() == "audit not recorded"]
    assert [(r.method, r.status) for r in lost] == [("POST", 201), ("GET", 403)]  # type: ignore[attr-defined]


class _PoolFullOnce:
    """The app's sessions, but the first one finds every pooled connection taken, as SQLAlchemy
    says after its pool_timeout when a burst holds them all."""

    def __init__(self, sessions: Any) -> None:
        self._sessions = sessions
        self.refused = 0

    def __call__(self) -> Any:
        session = self._sessions()
        # Only the trail's writer meets it: the request's own sessions are served.
        if self.refused or sys._getframe(1).f_code.co_name != "_write":
            return session
        self.refused += 1

        async def no_connection_free(*_: Any, **__: Any) -> Any:
            raise sa_exc.TimeoutError("QueuePool limit of size 10 overflow 10 reached")

        session.connection = no_connection_free
        return session


def test_a_trail_row_waits_out_a_full_pool_instead_of_being_lost(
    submissions: TestClient, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(audit_module, "_BUSY_PAUSE_SECONDS", 0.01)
    state = submissions.app.state  # type: ignore[attr-defined]
    full_once = state.sessions = _PoolFullOnce(state.sessions)
    try:
        with caplog.at_level(logging.WARNING, logger="thidua.audit"):
            created = submissions.post(
                "/api/v1/initiatives", json=initiative_body(), headers=MEMBER_AN
            )
    finally:
        state.sessions = full_once._sessions

    assert created.status_code == 201, created.text
    assert full_once.refused == 1
    assert not [r for r in caplog.records if r.getMessage() == "audit not recorded"]
    recorded = [(e["method"], e["route"]) for e in audit(submissions, status=201)]
    assert recorded.count(("POST", "/api/v1/initiatives")) == 1


def test_a_body_the_json_parser_cannot_read_is_recorded_by_its_size(
    submissions: TestClient,
) -> None:
    # Nested deeper than Python's parser goes: refused with a 400 (test_no_server_errors), and
    # its record says what it was instead of failing the request.
    deep = b"[" * 100_000 + b"]" * 100_000
    headers = MEMBER_AN | {"content-type": "application/json"}
    response = submissions.post("/api/v1/initiatives", content=deep, headers=headers)
    assert response.status_code == 400, response.text
    [entry] = audit(submissions, status=400)
    assert entry["fields"] == {"(body)": f"not readable JSON, {len(deep)} bytes"}


def test_a_filter_moment_beyond_what_utc_holds_selects_everything_or_nothing(
    submissions: TestClient,
) -> None:
    # 0001-01-01T00:00+01:00 is 0000-12-31T23:00Z, before every record; 9999-12-31T23:59:59
    # -00:01 is after every one. Converting either to UTC overflowed into a 500 (a fuzzer
    # found it); as a filter each is before or after all the rows.
    submitted_by_an(submissions)
    everything = [e["id"] for e in audit(submissions)]
    assert everything
    earliest, latest = "0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-00:01"
    assert [e["id"] for e in audit(submissions, **{"from": earliest})] == everything
    assert [e["id"] for e in audit(submissions, to=latest)] == everything
    assert audit(submissions, **{"from": latest}) == []
    assert audit(submissions, to=earliest) == []
