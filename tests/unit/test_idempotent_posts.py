"""Every POST that creates something, and an amendment (PATCH), honours an Idempotency-Key,
as initiative submission always has: the same key and body again give the first answer and do
nothing more (no second row, no second event in the outbox); the same key with another body is
refused, naming the header in both languages; without a key, each request acts as it always
did. Submissions and notifications on real SQLite databases, Kafka unreachable (events wait in
the outbox)."""

import sqlite3
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import MetaData

from services.notifications.bootstrap import define as define_notifications
from services.submissions.bootstrap import define as define_submissions
from services.submissions.demo import CAMPAIGN, token
from shared import contracts
from shared.auth import Role
from shared.db import create_engine, session_factory
from shared.http.idempotency import KEY_LIFETIME, ExpiredKeysPurge, add_idempotency_table
from tests.unit.conftest import ADMIN, MEMBER_AN, OFFICER_BSR, OFFICER_PVGAS
from tests.unit.submissions_helpers import initiative, outbox_events

HEADER = "Idempotency-Key"
ANOTHER_OFFICER_BSR = token("BSR-CB02", "BSR", Role.UNIT_OFFICER)


@dataclass(frozen=True)
class Case:
    """One creating POST: `post(variant, headers)` sends body number `variant` (0 and 1
    differ); `effects()` lists what it left (rows or events of this case only), `per_post`
    entries for each POST that acts; `anew`: whether the same POST sent again without a key
    creates (or publishes) again, rather than find what the first one recorded."""

    post: Callable[[int, dict[str, str]], httpx.Response]
    effects: Callable[[], list[Any]]
    anew: bool
    per_post: int = 1


Factory = Callable[[TestClient, TestClient, str], Case]


def response(sent: Any) -> httpx.Response:
    """TestClient's answer, typed: it is an httpx response (starlette types it as httpx2's,
    which is not installed, so mypy sees Any)."""
    assert isinstance(sent, httpx.Response)
    return sent


def submitted_titled(submissions: TestClient, nonce: str) -> list[Any]:
    return [
        e for e in outbox_events(submissions, contracts.InitiativeSubmitted) if nonce in e["title"]
    ]


Post = Callable[[int, dict[str, str]], httpx.Response]


def poster(
    client: TestClient, path: str, who: dict[str, str], payload: Callable[[int], Any]
) -> Post:
    """A case's `post`: POST `path` to `client` as `who`, sending `payload(variant)` (the
    keyword arguments of the body: json=, files= or content=)."""

    def post(variant: int, headers: dict[str, str]) -> httpx.Response:
        return response(client.post(path, headers=headers | who, **payload(variant)))

    return post


def initiative_case(submissions: TestClient, _: TestClient, nonce: str) -> Case:
    post = poster(
        submissions,
        "/api/v1/initiatives",
        OFFICER_PVGAS,
        lambda variant: {"json": initiative(title=f"Sáng kiến {nonce} số {variant}")},
    )
    return Case(post, lambda: submitted_titled(submissions, nonce), anew=True)


def amendment_case(submissions: TestClient, _: TestClient, nonce: str) -> Case:
    created = submissions.post(
        "/api/v1/initiatives", json=initiative(title=f"Sáng kiến {nonce}"), headers=MEMBER_AN
    )
    assert created.status_code == 201, created.text
    url = f"/api/v1/initiatives/{created.json()['id']}"

    def amend(variant: int, headers: dict[str, str]) -> httpx.Response:
        title = f"Sáng kiến {nonce} sửa lần {variant}"
        return response(submissions.patch(url, json={"title": title}, headers=headers | MEMBER_AN))

    def effects() -> list[Any]:
        amended = outbox_events(submissions, contracts.InitiativeAmended)
        return [e for e in amended if nonce in e["title"]]

    # Without a key the same amendment again changes nothing, so it announces nothing either.
    return Case(amend, effects, anew=False)


def complaint_case(submissions: TestClient, _: TestClient, nonce: str) -> Case:
    def complaint(variant: int) -> dict[str, Any]:
        summary = f"Đơn khiếu nại {nonce} số {variant}"
        return {"json": {"unit_code": "BSR", "summary": summary, "received_on": "2022-03-01"}}

    def effects() -> list[Any]:
        cases = submissions.get("/api/v1/complaints?unit_code=BSR", headers=OFFICER_BSR).json()
        ids = {c["id"] for c in cases if nonce in c["summary"]}
        opened = outbox_events(submissions, contracts.ComplaintCaseOpened)
        return sorted(ids) + [e for e in opened if e["case_id"] in ids]

    post = poster(submissions, "/api/v1/complaints", OFFICER_BSR, complaint)
    return Case(post, effects, anew=True, per_post=2)  # the case and its event


def report_case(submissions: TestClient, _: TestClient, nonce: str) -> Case:
    unit = new_unit(submissions, nonce)

    def plan(variant: int) -> dict[str, Any]:
        summary = f"Kế hoạch thi đua {nonce} số {variant}"
        body = {"phase_code": "dot-1", "unit_code": unit, "kind": "plan", "summary": summary}
        return {"json": body | {"filed_on": "2022-03-01"}}

    def effects() -> list[Any]:
        # Filing again replaces the row but publishes again: the events are the effects.
        submitted = outbox_events(submissions, contracts.ReportSubmitted)
        return [e for e in submitted if e["unit_code"] == unit]

    return Case(poster(submissions, "/api/v1/reports", OFFICER_PVGAS, plan), effects, anew=True)


def registration_case(submissions: TestClient, _: TestClient, nonce: str) -> Case:
    unit = new_unit(submissions, nonce)
    movement = "lao-dong-gioi-sang-tao"

    def registration(variant: int) -> dict[str, Any]:
        commitment = {"movement_code": movement, "text": f"Cam kết {nonce} {variant}"}
        body = {"phase_code": "dot-1", "unit_code": unit, "movement_codes": [movement]}
        return {"json": body | {"commitments": [commitment]}}

    def effects() -> list[Any]:
        # One draft per unit, rewritten by each POST: a rewrite moves its `updated_at`.
        listed = submissions.get(f"/api/v1/registrations?under={unit}", headers=OFFICER_PVGAS)
        items: list[Any] = listed.json()["items"]
        return items

    post = poster(submissions, "/api/v1/registrations", OFFICER_PVGAS, registration)
    return Case(post, effects, anew=False)


def unit_recorded(submissions: TestClient, code: str) -> list[Any]:
    recorded = outbox_events(submissions, contracts.UnitRecorded)
    return [e for e in recorded if e["code"] == code]


def unit_case(submissions: TestClient, _: TestClient, nonce: str) -> Case:
    code = f"PVGAS-{nonce.upper()}"

    def unit(variant: int) -> dict[str, Any]:
        name = f"Công đoàn {nonce} số {variant}"
        return {"json": {"code": code, "name": name, "parent_code": "PVGAS", "level": "grassroots"}}

    # The same unit recorded again is unchanged: no event, then or before this change.
    post = poster(submissions, "/api/v1/units", OFFICER_PVGAS, unit)
    return Case(post, lambda: unit_recorded(submissions, code), anew=False)


def unit_import_case(submissions: TestClient, _: TestClient, nonce: str) -> Case:
    code = f"PVGAS-{nonce.upper()}"

    def sheet(variant: int) -> dict[str, Any]:
        rows = (
            "Mã đơn vị,Tên đơn vị,Mã đơn vị cấp trên,Cấp\n"
            f"{code},Công đoàn {nonce} số {variant},PVGAS,Công đoàn cơ sở\n"
        )
        return {"files": {"file": ("don-vi.csv", rows.encode(), "text/csv")}}

    post = poster(submissions, "/api/v1/units/import", OFFICER_PVGAS, sheet)
    return Case(post, lambda: unit_recorded(submissions, code), anew=False)


def campaign_case(submissions: TestClient, _: TestClient, nonce: str) -> Case:
    code = f"idem-{nonce}"
    text = CAMPAIGN.read_text("utf-8").replace('code: "2022"', f'code: "{code}"')

    def effects() -> list[Any]:
        published = outbox_events(submissions, contracts.CampaignPublished)
        return [e for e in published if e["campaign_code"] == code]

    post = poster(
        submissions,
        "/api/v1/campaigns",
        ADMIN | {"content-type": "application/yaml"},
        lambda variant: {"content": f"{text}\n# bản {variant}\n".encode()},
    )
    return Case(post, effects, anew=True)


def initiative_import_case(submissions: TestClient, _: TestClient, nonce: str) -> Case:
    def sheet(variant: int) -> dict[str, Any]:
        rows = (
            "Tên sáng kiến;Mã đơn vị;Lĩnh vực;Thực trạng;Giải pháp;Ngày áp dụng;"
            "Giá trị làm lợi (đồng);Tác giả\n"
            f"Sáng kiến nhập {nonce} số {variant};PVGAS-KCM;Kỹ thuật;"
            "Thất thoát khí tại các mặt bích cũ.;Thay gioăng và kiểm tra bằng camera nhiệt.;"
            "15/04/2022;1.500.000.000;PVGAS-0101: Lê Minh Tuấn\n"
        )
        return {"files": {"file": ("sang-kien.csv", rows.encode(), "text/csv")}}

    post = poster(submissions, "/api/v1/initiatives/import", OFFICER_PVGAS, sheet)
    return Case(post, lambda: submitted_titled(submissions, nonce), anew=True)


def attachment_case(submissions: TestClient, _: TestClient, nonce: str) -> Case:
    created = submissions.post(
        "/api/v1/initiatives", json=initiative(title=f"Có tệp {nonce}"), headers=MEMBER_AN
    )
    url = f"/api/v1/initiatives/{created.json()['id']}/attachments"

    def pdf(variant: int) -> dict[str, Any]:
        content = f"%PDF-1.7\n{nonce} {variant}\n".encode() + b"0" * 200
        return {"files": {"file": ("mo-ta.pdf", content, "application/pdf")}}

    def effects() -> list[Any]:
        attached: list[Any] = submissions.get(url, headers=MEMBER_AN).json()
        return attached

    return Case(poster(submissions, url, MEMBER_AN, pdf), effects, anew=True)


def subscriber_case(_: TestClient, notifications: TestClient, nonce: str) -> Case:
    def subscriber(variant: int) -> dict[str, Any]:
        name = f"Hệ thống {nonce} số {variant}"
        return {"json": {"name": name, "url": "https://example.org/hook"}}

    def effects() -> list[Any]:
        listed = notifications.get("/api/v1/subscribers", headers=ADMIN).json()
        return [s for s in listed if nonce in s["name"]]

    post = poster(notifications, "/api/v1/subscribers", ADMIN, subscriber)
    return Case(post, effects, anew=True)


def new_unit(submissions: TestClient, nonce: str) -> str:
    """A unit of this test's own, so its registration or report is the only one."""
    code = f"PVGAS-R{nonce.upper()}"
    body = {"code": code, "name": f"Công đoàn {nonce}", "parent_code": "PVGAS"}
    recorded = submissions.post("/api/v1/units", json=body | {"level": "grassroots"}, headers=ADMIN)
    assert recorded.status_code == 201, recorded.text
    return code


CASES: dict[str, Factory] = {
    "POST /initiatives": initiative_case,
    "POST /complaints": complaint_case,
    "POST /reports": report_case,
    "POST /registrations": registration_case,
    "POST /units": unit_case,
    "POST /units/import": unit_import_case,
    "POST /campaigns": campaign_case,
    "POST /initiatives/import": initiative_import_case,
    "POST /initiatives/{id}/attachments": attachment_case,
    "POST /subscribers (notifications)": subscriber_case,
    "PATCH /initiatives/{id}": amendment_case,
}


@pytest.fixture(params=list(CASES))
def case(
    request: pytest.FixtureRequest, submissions: TestClient, notifications: TestClient
) -> Case:
    return CASES[request.param](submissions, notifications, uuid.uuid4().hex[:10])


def outbox_size(submissions: TestClient) -> int:
    url = submissions.app.state.settings.database_url  # type: ignore[attr-defined]
    with sqlite3.connect(url.split("///", 1)[1]) as db:
        (count,) = db.execute("SELECT count(*) FROM outbox").fetchone()
    return int(count)


def test_the_same_key_twice_does_it_once_and_answers_the_same(
    case: Case, submissions: TestClient
) -> None:
    key = {HEADER: f"retry-{uuid.uuid4()}"}
    first = case.post(0, key)
    assert first.status_code in (200, 201), first.text
    after_first, outbox_after_first = case.effects(), outbox_size(submissions)
    assert len(after_first) == case.per_post

    again = case.post(0, key)

    assert (again.status_code, again.json()) == (first.status_code, first.json())
    assert case.effects() == after_first  # no second row, no rewrite, no second event
    assert outbox_size(submissions) == outbox_after_first


def test_the_same_key_with_another_body_is_refused_naming_the_header(case: Case) -> None:
    key = {HEADER: f"retry-{uuid.uuid4()}"}
    assert case.post(0, key).status_code in (200, 201)
    after_first = case.effects()

    other = case.post(1, key)

    assert other.status_code == 422, other.text
    [error] = other.json()["errors"]
    assert (error["field"], error["code"]) == (HEADER, "key_reused")
    assert "Idempotency-Key" in error["message_vi"] and "Idempotency-Key" in error["message_en"]
    assert error["message_vi"] != error["message_en"]
    assert case.effects() == after_first


def test_without_a_key_each_post_acts_as_before(case: Case) -> None:
    first = case.post(0, {})
    second = case.post(0, {})

    assert first.status_code == second.status_code and first.status_code in (200, 201)
    assert len(case.effects()) == (2 if case.anew else 1) * case.per_post


def test_a_key_is_the_callers_own(submissions: TestClient) -> None:
    """Two officers who happen to choose the same key each open their case."""
    case = complaint_case(submissions, submissions, uuid.uuid4().hex[:10])
    key = {HEADER: "ho-so-1"}
    mine = case.post(0, key)
    theirs = submissions.post(
        "/api/v1/complaints",
        json={
            "unit_code": "BSR",
            "summary": mine.json()["summary"],
            "received_on": "2022-03-01",
        },
        headers=key | ANOTHER_OFFICER_BSR,
    )
    assert mine.status_code == theirs.status_code == 201
    assert mine.json()["id"] != theirs.json()["id"]
    assert len(case.effects()) == 2 * case.per_post


def test_identical_requests_at_the_same_moment_create_once(submissions: TestClient) -> None:
    """A double click: the requests race; the one that waits on the other's claim replays
    its answer instead of opening a second case or failing."""
    case = complaint_case(submissions, submissions, uuid.uuid4().hex[:10])
    key = {HEADER: f"double-click-{uuid.uuid4()}"}
    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(pool.map(lambda _: case.post(0, key), range(6)))
    assert {a.status_code for a in answers} == {201}, [a.text for a in answers]
    assert len({a.json()["id"] for a in answers}) == 1
    assert len(case.effects()) == case.per_post


def test_a_key_longer_than_200_characters_is_refused(submissions: TestClient) -> None:
    case = complaint_case(submissions, submissions, uuid.uuid4().hex[:10])
    refused = case.post(0, {HEADER: "k" * 201})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["code"] == "key_too_long"
    assert case.effects() == []


def test_an_amendment_retried_after_another_does_not_undo_it(submissions: TestClient) -> None:
    """The retry the key is for: the first answer was lost, a second amendment came in, then
    the first is sent again. Applied again it would put the first title back."""
    created = submissions.post("/api/v1/initiatives", json=initiative(), headers=MEMBER_AN)
    url = f"/api/v1/initiatives/{created.json()['id']}"
    key = {HEADER: f"retry-{uuid.uuid4()}"}
    first = submissions.patch(url, json={"title": "Lần sửa thứ nhất"}, headers=key | MEMBER_AN)
    assert first.status_code == 200, first.text
    second = submissions.patch(url, json={"title": "Lần sửa thứ hai"}, headers=MEMBER_AN)
    assert second.status_code == 200, second.text

    retried = submissions.patch(url, json={"title": "Lần sửa thứ nhất"}, headers=key | MEMBER_AN)

    assert (retried.status_code, retried.json()) == (200, first.json())
    assert submissions.get(url, headers=MEMBER_AN).json()["title"] == "Lần sửa thứ hai"
    amended = outbox_events(submissions, contracts.InitiativeAmended)
    assert [e["title"] for e in amended if e["initiative_id"] == created.json()["id"]] == [
        "Lần sửa thứ nhất",
        "Lần sửa thứ hai",
    ]


def test_a_key_holds_for_a_day_then_acts_anew(submissions: TestClient) -> None:
    """An answer kept for good would be replayed to its caller long after they may still
    read what it holds (an initiative's content), and the keys would never go."""
    key = {HEADER: f"retry-{uuid.uuid4()}"}
    body = initiative(title=f"Sáng kiến giữ khóa {uuid.uuid4().hex[:8]}")
    first = submissions.post("/api/v1/initiatives", json=body, headers=key | MEMBER_AN)
    assert first.status_code == 201, first.text
    replayed = submissions.post("/api/v1/initiatives", json=body, headers=key | MEMBER_AN)
    assert replayed.json()["id"] == first.json()["id"]

    url = submissions.app.state.settings.database_url  # type: ignore[attr-defined]
    with sqlite3.connect(url.split("///", 1)[1]) as db:  # as if recorded a day and a second ago
        db.execute(
            "UPDATE idempotency_keys SET created_at = datetime(created_at, '-1 day', '-1 second')"
            " WHERE key = ?",
            (key[HEADER],),
        )

    anew = submissions.post("/api/v1/initiatives", json=body, headers=key | MEMBER_AN)
    assert anew.status_code == 201, anew.text
    assert anew.json()["id"] != first.json()["id"]
    again = submissions.post("/api/v1/initiatives", json=body, headers=key | MEMBER_AN)
    assert again.json()["id"] == anew.json()["id"]  # and the key holds again, for this answer


async def test_the_housekeeping_deletes_only_the_expired_keys(tmp_path: Path) -> None:
    """Each service that takes keys runs ExpiredKeysPurge: the table holds about a day's keys,
    not every key ever sent."""
    table = add_idempotency_table(MetaData())
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'keys.sqlite3'}")
    async with engine.begin() as connection:
        await connection.run_sync(table.metadata.create_all)
    now = datetime.now(UTC)
    ages = {"fresh": timedelta(0), "nearly": KEY_LIFETIME - timedelta(minutes=1)}
    ages |= {"expired": KEY_LIFETIME + timedelta(seconds=1), "old": timedelta(days=30)}
    async with engine.begin() as connection:
        for key, age in ages.items():
            await connection.execute(
                table.insert().values(
                    subject="BSR-CB01",
                    key=key,
                    request_hash="h",
                    status_code=201,
                    response_body={},
                    created_at=now - age,
                )
            )
    purge = ExpiredKeysPurge(table)
    assert await purge.purge_once(session_factory(engine)) == 2
    async with engine.connect() as connection:
        kept = {row.key for row in await connection.execute(table.select())}
    await engine.dispose()
    assert kept == {"fresh", "nearly"}


def test_the_services_that_take_keys_run_the_housekeeping() -> None:
    for define in (define_submissions, define_notifications):
        assert any(isinstance(w, ExpiredKeysPurge) for w in define().workers)
