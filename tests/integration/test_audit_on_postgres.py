"""The audit trail on real PostgreSQL keeps a refusal whose request PostgreSQL itself could not
store as sent: a path or a body holding U+0000 (text refuses it), a number JSON has no word for
(1e999 reads as infinity). A black-box round found both missing from the trail, with only
"audit not recorded" in the log, though the caller was rightly refused (422); a review then
found a lone surrogate ("\\udc80") kept, and every page of the trail holding it a 500."""

import asyncio

from fastapi.testclient import TestClient

from services.notifications.bootstrap import define
from services.notifications.config import NotificationsSettings
from services.submissions.demo import token
from shared.auth import Role
from shared.migrations import upgrade_to_head
from shared.service_app import create_app
from tests.support.databases import DatabaseFactory

ADMIN = token("CDDKVN-0001", "CDDKVN", Role.FEDERATION_ADMIN)
OFFICER = token("PVGAS-CB01", "PVGAS", Role.UNIT_OFFICER)


async def test_a_refusal_of_what_postgresql_cannot_store_is_still_recorded(
    databases: DatabaseFactory,
) -> None:
    url = await databases.create("notifications")
    await asyncio.to_thread(upgrade_to_head, "services.notifications", url)
    settings = NotificationsSettings(
        database_url=url, kafka_bootstrap_servers="127.0.0.1:1", smtp_port=1
    )

    def refused_then_read() -> list[dict[str, object]]:
        with TestClient(create_app(define(settings))) as client:
            nul = client.get("/api/v1/inbox/%00", headers=OFFICER)
            infinite = client.put(
                "/api/v1/me/contact",
                content=b'{"email": "a@b.vn", "language": "vi\\u0000", "x": 1e999}',
                headers=OFFICER | {"content-type": "application/json"},
            )
            # A lone surrogate, without a token: kept, and the trail still reads (it was a 500).
            lone = client.put(
                "/api/v1/me/contact",
                content=b'{"email": "\\udc80"}',
                headers={"content-type": "application/json"},
            )
            assert (nul.status_code, infinite.status_code) == (422, 422), infinite.text
            assert lone.status_code in (401, 422), lone.text
            trail = client.get("/api/v1/audit", headers=ADMIN)
            assert trail.status_code == 200, trail.text
            items: list[dict[str, object]] = trail.json()["items"]
            return items

    recorded = await asyncio.to_thread(refused_then_read)
    by_method = {row["method"]: row for row in recorded if row["status"] == 422}
    assert by_method["GET"]["path"] == "/api/v1/inbox/\u2400"
    puts = [row["fields"] for row in recorded if row["method"] == "PUT"]
    assert {"email": "a@b.vn", "language": "vi\u2400", "x": "inf"} in puts
    assert {"email": "\ufffd"} in puts
