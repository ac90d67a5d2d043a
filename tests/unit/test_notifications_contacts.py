"""An admin's contacts are keyed by a person's id, one line like every id: the path's
`person_id` is refused with a line break or a tab as a body's id would be (a fuzzer stored
"Q\\nQ" with a 200)."""

import pytest
from fastapi.testclient import TestClient

from tests.unit.conftest import ADMIN

CONTACT = {"full_name": "Nguyễn Văn An", "unit_code": "PVGAS-KCM"}


@pytest.mark.parametrize("person_id", ["Q%0AQ", "Q%0DQ", "Q%09Q", "Q%E2%80%A8Q", "Q%0A"])
def test_a_person_id_with_a_line_break_is_refused_naming_it(
    notifications: TestClient, person_id: str
) -> None:
    answer = notifications.put(f"/api/v1/contacts/{person_id}", json=CONTACT, headers=ADMIN)
    assert answer.status_code == 422, answer.text
    [error] = answer.json()["errors"]
    assert (error["field"], error["code"]) == ("person_id", "line_break")
    assert "một dòng" in error["message_vi"] and "one line" in error["message_en"]
    listed = notifications.get("/api/v1/contacts", headers=ADMIN).json()
    assert not [c for c in listed if c["person_id"].startswith("Q")]


def test_a_one_line_person_id_is_stored(notifications: TestClient) -> None:
    answer = notifications.put("/api/v1/contacts/PVGAS-0012", json=CONTACT, headers=ADMIN)
    assert answer.status_code == 200, answer.text
    assert answer.json()["person_id"] == "PVGAS-0012"
