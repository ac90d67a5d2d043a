"""A validly signed token is input like any other: its claims that become a Principal (`sub`,
`name`, `unit`) must be of the contracts' types and pass the input guard's rules for one-line
text, or the token proves nothing (401, as an expired or forged one).

A fuzz found `sub` or `unit` holding NUL or a lone surrogate answered 500 by every service:
PostgreSQL refused the text in the first query that sent it."""

import pytest
from fastapi.testclient import TestClient

from shared.auth import TokenError, TokenProblem, decode_token, load_auth_settings, mint_token
from shared.contracts.bounds import CODE_MAX, PERSON_NAME_MAX, SUBJECT_MAX

SETTINGS = load_auth_settings()  # the development secret, as the services' tests use

# What a signed token's text claim may not hold: what PostgreSQL cannot store (NUL, a lone
# surrogate), what the input guard refuses in any field (other controls, a bidirectional
# override) and in a one-line one (a line break, a tab).
UNFIT = {
    "nul": "X\x00Y",
    "lone surrogate": "X\ud800Y",
    "escape": "X\x1bY",
    "right-to-left override": "X\u202eY",
    "line break": "X\nY",
    "tab": "X\tY",
}

GOOD = {"sub": "CDDKVN-0001", "name": "Nguyễn Văn An", "unit": "CDDKVN"}


def signed(**claims: str) -> str:
    values = {**GOOD, **claims}
    return mint_token(
        values["sub"], values["name"], ("federation_admin",), values["unit"], SETTINGS
    )


@pytest.mark.parametrize("claim", ["sub", "name", "unit"])
@pytest.mark.parametrize("case", UNFIT)
def test_a_claim_with_a_character_no_field_takes_is_an_invalid_token(claim: str, case: str) -> None:
    with pytest.raises(TokenError) as raised:
        decode_token(signed(**{claim: UNFIT[case]}), SETTINGS)
    assert raised.value.reason is TokenProblem.INVALID_CLAIMS
    assert f'"{claim}"' in raised.value.detail


@pytest.mark.parametrize(
    ("claim", "limit"), [("sub", SUBJECT_MAX), ("name", PERSON_NAME_MAX), ("unit", CODE_MAX)]
)
def test_each_claim_is_bounded_as_the_contracts_bound_what_it_is_stored_as(
    claim: str, limit: int
) -> None:
    assert decode_token(signed(**{claim: "A" * limit}), SETTINGS)
    with pytest.raises(TokenError) as raised:
        decode_token(signed(**{claim: "A" * (limit + 1)}), SETTINGS)
    assert raised.value.reason is TokenProblem.INVALID_CLAIMS


def test_vietnamese_and_the_usual_subjects_still_pass() -> None:
    principal = decode_token(
        signed(sub="auth0|5f1c@pvgas.vn", name="Trần Thị Ánh Tuyết", unit="PVGAS-KCM"), SETTINGS
    )
    assert (principal.subject, principal.name, principal.unit_code) == (
        "auth0|5f1c@pvgas.vn",
        "Trần Thị Ánh Tuyết",
        "PVGAS-KCM",
    )


# The routes the fuzz found answering 500, each on its service's app.
ROUTES = {
    "notifications": "/api/v1/inbox",
    "submissions": "/api/v1/initiatives",
    "reporting": "/api/v1/summary/2022",
}


@pytest.mark.parametrize("claim", ["sub", "unit"])
@pytest.mark.parametrize("case", ["nul", "lone surrogate"])
@pytest.mark.parametrize("service", ROUTES)
def test_every_service_answers_such_a_token_401_like_any_invalid_token(
    request: pytest.FixtureRequest, service: str, case: str, claim: str
) -> None:
    client: TestClient = request.getfixturevalue(service)
    token = signed(**{claim: UNFIT[case]})
    response = client.get(ROUTES[service], headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Bearer error="invalid_token"'
    [error] = response.json()["errors"]
    assert error["code"] == "token_invalid"
    assert error["message_vi"] and error["message_en"]
