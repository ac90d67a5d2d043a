"""Submissions in the unit tests: a valid initiative's body, what waits in its outbox, and an
initiative held confidential with scoring's events about it applied as its consumer does."""

import json
import sqlite3
from typing import Any

from fastapi.testclient import TestClient

from shared.contracts.base import EventData


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
