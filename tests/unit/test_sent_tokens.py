"""A token that is sent is validated everywhere (issue 14, point 3): every route any service
answers without a token answers 401 to an expired, wrongly signed or `alg=none` one, instead of
ignoring it; anonymous stays allowed where it was. The spreadsheet templates need a token."""

import re

import pytest
from fastapi.testclient import TestClient

from shared.auth import Role
from tests.support.callers import bad_tokens, signed_as
from tests.support.routes import operations


def _filled(path: str) -> str:
    # Any value: the token is checked before the path's parameters are.
    return re.sub(r"\{[^}]+\}", "x", path)


def test_every_route_refuses_a_bad_token_instead_of_ignoring_it(
    every_service: dict[str, TestClient],
) -> None:
    checked = 0
    for service, client in every_service.items():
        for method, path in operations(client, service):
            if path == "/metrics":
                continue  # the operations token's, not a JWT's (test_http_hardening)
            for kind, headers in bad_tokens().items():
                answer = client.request(
                    method, _filled(path), headers=headers, follow_redirects=False
                )
                assert answer.status_code == 401, (method, path, kind, answer.status_code)
                assert answer.json()["errors"][0]["code"] in ("token_expired", "token_invalid")
            checked += 1
    assert checked > 60  # all four services' routes, not a few


def test_public_routes_stay_public_without_a_token(reporting: TestClient) -> None:
    for path in ("/api/v1/initiative-counts", "/health"):
        assert reporting.get(path).status_code == 200, path


def test_a_token_of_another_scheme_is_no_bearer_token_and_changes_nothing(
    reporting: TestClient,
) -> None:
    answer = reporting.get("/api/v1/initiative-counts", headers={"Authorization": "Basic eDp5"})
    assert answer.status_code == 200


@pytest.mark.parametrize(
    "path", ["/api/v1/initiatives/import-template.xlsx", "/api/v1/units/import-template.xlsx"]
)
def test_the_import_templates_are_for_those_who_import(submissions: TestClient, path: str) -> None:
    assert submissions.get(path).status_code == 401
    member = signed_as("PVGAS-0012", "PVGAS-KCM", Role.MEMBER)
    assert submissions.get(path, headers=member).status_code == 403
    for caller in (
        signed_as("PVGAS-CB01", "PVGAS", Role.UNIT_OFFICER),
        signed_as("CDDKVN-0001", "CDDKVN", Role.FEDERATION_ADMIN),
    ):
        answer = submissions.get(path, headers=caller)
        assert answer.status_code == 200
        assert answer.content.startswith(b"PK")  # a workbook (a zip)
