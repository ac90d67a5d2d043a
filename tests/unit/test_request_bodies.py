"""A field a request body does not declare is refused, naming it, instead of being dropped: a
misspelt field in an amendment was answered 200 with nothing changed."""

from typing import Any

from fastapi.testclient import TestClient

from tests.unit.conftest import ADMIN, MEMBER_AN, first_error, initiative_body, submitted_by_an


def _schemas_reached(spec: dict[str, Any], schema: dict[str, Any]) -> list[tuple[str, Any]]:
    """Every object schema a request body's schema names, nested ones too, by name."""
    found: list[tuple[str, Any]] = []
    names = [schema]
    seen: set[str] = set()
    while names:
        node = names.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref not in seen:
                seen.add(ref)
                name = ref.rsplit("/", 1)[1]
                target = spec["components"]["schemas"][name]
                found.append((name, target))
                names.append(target)
            names.extend(node.values())
        elif isinstance(node, list):
            names.extend(node)
    return found


def test_every_json_request_body_refuses_fields_it_does_not_declare(
    every_service: dict[str, TestClient],
) -> None:
    checked = []
    for service, client in every_service.items():
        spec = client.app.openapi()  # type: ignore[attr-defined]
        for path, operations in spec["paths"].items():
            for verb, operation in operations.items():
                body = operation.get("requestBody", {}).get("content", {})
                if "application/json" not in body:
                    continue
                for name, schema in _schemas_reached(spec, body["application/json"]["schema"]):
                    if schema.get("type") == "object" and "properties" in schema:
                        where = f"{service} {verb.upper()} {path}: {name}"
                        assert schema.get("additionalProperties") is False, where
                        checked.append(where)
    # The initiative's amendment and its authors, a score sheet's lines, among ~20 bodies.
    assert len(checked) >= 20
    assert any("AuthorIn" in c for c in checked) and any("SheetLineIn" in c for c in checked)


def test_a_misspelt_field_in_an_amendment_is_refused_by_name_and_changes_nothing(
    submissions: TestClient,
) -> None:
    url = f"/api/v1/initiatives/{submitted_by_an(submissions)}"
    before = submissions.get(url, headers=MEMBER_AN).json()

    error = first_error(submissions.patch(url, json={"titel": "Tên mới"}, headers=MEMBER_AN), 422)

    assert (error["field"], error["code"]) == ("titel", "extra_forbidden")
    assert error["message_vi"] == "Trường không được phép" and error["message_en"]
    assert submissions.get(url, headers=MEMBER_AN).json() == before


def test_an_unknown_field_in_a_submission_is_refused_and_nothing_is_created(
    submissions: TestClient,
) -> None:
    body = {**initiative_body(), "benefit_vnd": 5_000_000}  # expected_benefit_vnd, misnamed

    error = first_error(submissions.post("/api/v1/initiatives", json=body, headers=MEMBER_AN), 422)

    assert (error["field"], error["code"]) == ("benefit_vnd", "extra_forbidden")
    listed = submissions.get("/api/v1/initiatives", headers=MEMBER_AN).json()
    assert listed["total"] == 0


def test_a_contact_read_and_sent_back_whole_is_taken_but_not_under_another_id(
    notifications: TestClient,
) -> None:
    body = {"full_name": "Trần Thị Bích Ngọc", "email": "ngoc.ttb@pvgas.example"}
    assert notifications.put("/api/v1/contacts/PVGAS-0047", json=body, headers=ADMIN).is_success
    [read] = [
        c
        for c in notifications.get("/api/v1/contacts", headers=ADMIN).json()
        if c["person_id"] == "PVGAS-0047"
    ]

    again = notifications.put(
        "/api/v1/contacts/PVGAS-0047", json=read | {"daily_digest": True}, headers=ADMIN
    )
    elsewhere = notifications.put("/api/v1/contacts/PVGAS-0048", json=read, headers=ADMIN)

    assert again.status_code == 200 and again.json()["daily_digest"] is True
    error = first_error(elsewhere, 422)
    assert (error["field"], error["code"]) == ("person_id", "person_id_mismatch")
    listed = notifications.get("/api/v1/contacts", headers=ADMIN).json()
    assert "PVGAS-0048" not in {c["person_id"] for c in listed}
