"""What a person reads and chooses for themselves on notifications: the unread count of their
inbox (the portal's menu) and their own contact (email, language, digest)."""

from datetime import UTC, datetime

from fastapi.testclient import TestClient

from services.notifications.tables import InboxMessage
from services.submissions.demo import token
from shared.auth import Role
from tests.unit.conftest import ADMIN, inbox_message, store_rows

AN = token("PVGAS-0012", "PVGAS-KCM", Role.MEMBER)


def _message(recipient: str, read: bool) -> InboxMessage:
    now = datetime.now(UTC)
    return inbox_message(recipient, created_at=now, read_at=now if read else None)


def test_the_unread_count_is_mine_and_falls_as_i_read(notifications: TestClient) -> None:
    assert notifications.get("/api/v1/inbox/unread-count", headers=AN).json() == {"unread": 0}
    mine = [_message("PVGAS-0012", read=False) for _ in range(2)]
    others = [_message("PVGAS-0012", read=True), _message("BSR-0301", read=False)]
    store_rows(notifications, *(mine + others))
    assert notifications.get("/api/v1/inbox/unread-count", headers=AN).json() == {"unread": 2}
    notifications.post(f"/api/v1/inbox/messages/{mine[0].id}/read", headers=AN)
    assert notifications.get("/api/v1/inbox/unread-count", headers=AN).json() == {"unread": 1}
    assert notifications.get("/api/v1/inbox/unread-count").status_code == 401


def test_i_choose_my_email_language_and_digest_and_nothing_else(
    notifications: TestClient,
) -> None:
    before = notifications.get("/api/v1/me/contact", headers=AN).json()
    assert (before["person_id"], before["email"], before["language"]) == ("PVGAS-0012", None, "vi")
    refused = notifications.put(
        "/api/v1/me/contact", json={"email": "không phải email", "language": "fr"}, headers=AN
    )
    assert refused.status_code == 422
    assert {e["field"] for e in refused.json()["errors"]} == {"email", "language"}
    chosen = {"email": "an.nv@pvgas.example", "language": "en", "daily_digest": True}
    # is_officer and unit_code are not mine to choose: refused, by name, and nothing changes.
    overreach = notifications.put(
        "/api/v1/me/contact", json={**chosen, "is_officer": True, "unit_code": "BSR"}, headers=AN
    )
    assert overreach.status_code == 422
    assert {e["field"] for e in overreach.json()["errors"]} == {"is_officer", "unit_code"}
    assert notifications.get("/api/v1/me/contact", headers=AN).json() == before
    answer = notifications.put("/api/v1/me/contact", json=chosen, headers=AN)
    assert answer.status_code == 200
    [stored] = [
        c
        for c in notifications.get("/api/v1/contacts", headers=ADMIN).json()
        if c["person_id"] == "PVGAS-0012"
    ]
    assert {k: stored[k] for k in chosen} == chosen
    assert (stored["is_officer"], stored["unit_code"]) == (False, "PVGAS-KCM")
