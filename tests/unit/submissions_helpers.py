"""Submissions in the unit tests: valid initiatives' bodies, the errors a refusal names by
field, what waits in the outbox, and an initiative held confidential with scoring's events
about it applied as its consumer does."""

import json
import sqlite3
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from fastapi.testclient import TestClient

from services.submissions.initiatives.handlers import review_moved
from shared.contracts import InitiativeCouncilAssigned
from shared.contracts.base import EventData
from shared.messaging.cloudevents import new_envelope
from tests.unit.conftest import MEMBER_AN, initiative_body


def outbox_events(client: TestClient, contract: type[EventData]) -> list[dict[str, Any]]:
    """The payloads waiting in the outbox as events of `contract`'s type, oldest first."""
    url = client.app.state.settings.database_url  # type: ignore[attr-defined]
    with sqlite3.connect(url.split("///", 1)[1]) as db:
        rows = db.execute(
            "SELECT payload FROM outbox WHERE event_type = ? ORDER BY id", (contract.event_type,)
        ).fetchall()
    return [json.loads(payload) for (payload,) in rows]


def initiative(**changes: Any) -> dict[str, Any]:
    return {
        "title": "Tự động hóa báo cáo vận hành ca",
        "unit_code": "PVGAS-KCM",
        "field": "digital_transformation",
        "problem": "Báo cáo ca lập thủ công mất nhiều thời gian.",
        "solution": "Tự động tổng hợp số liệu từ hệ thống điều khiển.",
        "authors": [
            {"member_id": "PVGAS-0012", "full_name": "Nguyễn Văn An", "share_percent": 100}
        ],
        "first_applied_on": "2022-05-01",
        "expected_benefit_vnd": 120_000_000,
    } | changes


def secret(submissions: TestClient, **changes: Any) -> str:
    created = submissions.post(
        "/api/v1/initiatives",
        json={
            "title": "Quy trình xử lý xúc tác bí mật",
            "unit_code": "PVGAS-KCM",
            "field": "technical",
            "problem": "Xúc tác mất hoạt tính sớm hơn thiết kế.",
            "solution": "Hoàn nguyên tại chỗ theo chu trình nhiệt riêng.",
            "authors": [
                {"member_id": "PVGAS-0012", "full_name": "Nguyễn Văn An", "share_percent": 100}
            ],
            "confidential": True,
        }
        | changes,
        headers=MEMBER_AN,
    )
    assert created.status_code == 201, created.text
    return str(created.json()["id"])


def about(initiative_id: str, title: str = "Quy trình xử lý xúc tác bí mật") -> dict[str, Any]:
    """What scoring's events about an initiative `secret` made say of it."""
    return {
        "initiative_id": UUID(initiative_id),
        "campaign_code": "2022",
        "phase_code": "dot-1",
        "unit_code": "PVGAS-KCM",
        "title": title,
        "author_ids": ("PVGAS-0012",),
    }


def seat_council(submissions: TestClient, initiative_id: str, *reviewers: str) -> None:
    """Scoring's `council assigned`, as submissions' consumer applies it."""
    seated = InitiativeCouncilAssigned(
        **about(initiative_id),
        reviewer_ids=reviewers,
        assigned_by="CDDKVN-0001",
        assigned_at=datetime.now(UTC),
    )
    apply(submissions, seated)


def apply(submissions: TestClient, data: Any) -> None:
    envelope = new_envelope(data, source="/thidua/scoring", subject=str(data.initiative_id))

    async def run() -> None:
        app: Any = submissions.app
        async with app.state.sessions() as session, session.begin():
            await review_moved(envelope, session)

    submissions.portal.call(run)  # type: ignore[union-attr]


TWO_AUTHORS = [
    {"member_id": "PVGAS-0012", "full_name": "Nguyễn Văn An", "share_percent": 60},
    {"member_id": "PVGAS-0047", "full_name": "Trần Thị Bích Ngọc", "share_percent": 40},
]


def valid(**changes: Any) -> dict[str, Any]:
    """The conftest's valid body, by two authors and first applied in March."""
    return initiative_body(authors=TWO_AUTHORS, first_applied_on="2022-03-01") | changes


def errors(response: Any, status: int = 422) -> dict[str, dict[str, str]]:
    assert response.status_code == status, response.text
    return {error["field"]: error for error in response.json()["errors"]}
