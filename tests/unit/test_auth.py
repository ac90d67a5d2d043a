"""Bearer tokens and who may do what, through a tiny app that uses the dependencies as a service
would."""

import base64
import hashlib
import hmac
import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient
from pydantic import SecretStr, ValidationError

from shared import dev_tokens
from shared.auth import (
    DEV_SECRET,
    AuthSettings,
    CurrentPrincipal,
    ParentMapScope,
    Principal,
    Role,
    TokenError,
    TokenProblem,
    decode_token,
    ensure_can_act_for_unit,
    ensure_is_self_or_officer,
    install_auth_error_handler,
    load_auth_settings,
    mint_token,
    require_roles,
    warn_if_dev_secret,
)
from shared.auth.principal import ROLE_VI
from shared.http.errors import install_error_handlers
from shared.i18n import CODE_LABELS

SECRET = "a-test-secret-that-is-long-enough-for-hs256"
SETTINGS = AuthSettings(secret=SecretStr(SECRET))
SCOPE = ParentMapScope(
    {"CDDKVN": None, "PVGAS": "CDDKVN", "PVGAS-KCM": "PVGAS", "BSR": "CDDKVN", "BSR-NMLD": "BSR"}
)
# The member's unit, as a service would look it up.
MEMBER_UNITS = {"PVGAS-0012": "PVGAS-KCM", "PVGAS-0013": "PVGAS-KCM", "BSR-0042": "BSR"}


def make_app(settings: AuthSettings = SETTINGS) -> FastAPI:
    app = FastAPI()
    app.state.auth_settings = settings
    install_error_handlers(app)
    install_auth_error_handler(app)

    @app.get("/me")
    async def me(principal: CurrentPrincipal) -> dict[str, Any]:
        return {
            "subject": principal.subject,
            "name": principal.name,
            "roles": sorted(principal.roles),
            "unit_code": principal.unit_code,
        }

    @app.post("/campaigns")
    async def create_campaign(
        principal: Annotated[Principal, Depends(require_roles(Role.FEDERATION_ADMIN))],
    ) -> dict[str, str]:
        return {"by": principal.subject}

    @app.post("/units/{unit_code}/registrations")
    async def register(unit_code: str, principal: CurrentPrincipal) -> dict[str, str]:
        await ensure_can_act_for_unit(principal, unit_code, SCOPE)
        return {"unit_code": unit_code}

    @app.get("/members/{member_id}/initiatives")
    async def initiatives_of(member_id: str, principal: CurrentPrincipal) -> dict[str, str]:
        await ensure_is_self_or_officer(principal, member_id, MEMBER_UNITS[member_id], SCOPE)
        return {"member_id": member_id}

    return app


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(make_app()) as test_client:
        yield test_client


def token(
    roles: tuple[str, ...] = ("member",),
    unit: str = "PVGAS-KCM",
    subject: str = "PVGAS-0012",
    settings: AuthSettings = SETTINGS,
    **kwargs: Any,
) -> str:
    return mint_token(subject, "Nguyễn Văn An", roles, unit, settings, **kwargs)


def bearer(value: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {value}"}


def officer(unit: str) -> dict[str, str]:
    return bearer(token(("unit_officer",), unit, f"{unit}-0001"))


ADMIN = bearer(token(("federation_admin",), "CDDKVN", "CDDKVN-0001"))


def auth_warnings(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "thidua.auth" and r.levelno == logging.WARNING]


def the_error(body: dict[str, Any]) -> dict[str, str]:
    assert len(body["errors"]) == 1
    error: dict[str, str] = body["errors"][0]
    assert error["message_vi"] and error["message_en"]
    assert error["message_vi"] != error["message_en"]
    return error


def test_a_valid_token_gives_the_principal(client: TestClient) -> None:
    response = client.get("/me", headers=bearer(token()))
    assert response.status_code == 200
    assert response.json() == {
        "subject": "PVGAS-0012",
        "name": "Nguyễn Văn An",
        "roles": ["member"],
        "unit_code": "PVGAS-KCM",
    }


def _wrong_secret() -> str:
    other = AuthSettings(secret=SecretStr("another-secret-also-long-enough-for-hs256"))
    return token(settings=other)


REFUSED_TOKENS = {
    "no token": (None, "missing", "not_authenticated", "Cần đăng nhập"),
    "garbage": ("garbage", "malformed", "token_invalid", "không hợp lệ"),
    "expired": (
        token(now=datetime.now(UTC) - timedelta(hours=9)),
        "expired",
        "token_expired",
        "Phiên đăng nhập đã hết hạn",
    ),
    "wrong audience": (
        token(settings=AuthSettings(secret=SecretStr(SECRET), audience="other-app")),
        "wrong_audience",
        "token_invalid",
        "không hợp lệ",
    ),
    "wrong secret": (_wrong_secret(), "invalid_signature", "token_invalid", "không hợp lệ"),
}


@pytest.mark.parametrize("case", REFUSED_TOKENS)
def test_without_a_valid_token_the_answer_is_401_in_both_languages(
    client: TestClient, caplog: pytest.LogCaptureFixture, case: str
) -> None:
    sent, reason, code, vietnamese = REFUSED_TOKENS[case]
    headers = bearer(sent) if sent else {}
    with caplog.at_level(logging.WARNING, logger="thidua.auth"):
        response = client.get("/me", headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    error = the_error(response.json())
    assert error["code"] == code
    assert vietnamese in error["message_vi"]
    [record] = auth_warnings(caplog)
    assert record.__dict__["reason"] == reason
    assert record.__dict__["path"] == "/me"
    assert record.__dict__["method"] == "GET"
    assert record.__dict__["status_code"] == 401
    assert record.__dict__["subject"] is None


def test_a_token_sent_with_another_scheme_counts_as_none(client: TestClient) -> None:
    response = client.get("/me", headers={"Authorization": f"Basic {token()}"})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


def test_a_wrong_role_is_403_in_both_languages_and_logged(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="thidua.auth"):
        response = client.post("/campaigns", headers=officer("PVGAS"))
    assert response.status_code == 403
    assert "www-authenticate" not in response.headers
    error = the_error(response.json())
    assert error["code"] == "forbidden_role"
    assert "Bạn không có quyền thực hiện thao tác này" in error["message_vi"]
    [record] = auth_warnings(caplog)
    assert record.__dict__["reason"] == "role_not_allowed"
    assert record.__dict__["path"] == "/campaigns"
    assert record.__dict__["method"] == "POST"
    assert record.__dict__["subject"] == "PVGAS-0001"
    assert record.__dict__["roles"] == ["unit_officer"]
    assert record.__dict__["required_roles"] == ["federation_admin"]


def test_the_right_role_passes(client: TestClient) -> None:
    response = client.post("/campaigns", headers=ADMIN)
    assert response.status_code == 200
    assert response.json() == {"by": "CDDKVN-0001"}


def test_a_unit_officer_acts_for_their_units_subtree_only(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    assert client.post("/units/PVGAS/registrations", headers=officer("PVGAS")).status_code == 200
    response = client.post("/units/PVGAS-KCM/registrations", headers=officer("PVGAS"))
    assert response.status_code == 200
    with caplog.at_level(logging.WARNING, logger="thidua.auth"):
        refused = client.post("/units/BSR/registrations", headers=officer("PVGAS"))
        upwards = client.post("/units/PVGAS/registrations", headers=officer("PVGAS-KCM"))
    assert refused.status_code == upwards.status_code == 403
    error = the_error(refused.json())
    assert error["field"] == "unit_code"
    assert error["code"] == "forbidden_unit"
    assert "Bạn không có quyền thực hiện thao tác này" in error["message_vi"]
    first, second = auth_warnings(caplog)
    assert first.__dict__["reason"] == "unit_outside_scope"
    assert first.__dict__["path"] == "/units/BSR/registrations"
    assert first.__dict__["method"] == "POST"
    assert first.__dict__["subject"] == "PVGAS-0001"
    assert first.__dict__["unit_code"] == "BSR"
    assert second.__dict__["path"] == "/units/PVGAS/registrations"


def test_a_federation_admin_acts_for_any_unit(client: TestClient) -> None:
    for unit in ("CDDKVN", "PVGAS-KCM", "BSR", "BSR-NMLD", "NOT-IN-THE-TREE"):
        assert client.post(f"/units/{unit}/registrations", headers=ADMIN).status_code == 200


def test_a_member_or_reviewer_acts_for_no_unit_not_even_their_own(client: TestClient) -> None:
    member = bearer(token())
    reviewer = bearer(token(("reviewer",), "CDDKVN", "CDDKVN-0101"))
    assert client.post("/units/PVGAS-KCM/registrations", headers=member).status_code == 403
    assert client.post("/units/PVGAS/registrations", headers=reviewer).status_code == 403


def test_a_member_sees_their_own_and_their_officers_see_them_too(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    own = "/members/PVGAS-0012/initiatives"
    assert client.get(own, headers=bearer(token())).status_code == 200
    assert client.get(own, headers=officer("PVGAS")).status_code == 200
    assert client.get(own, headers=officer("PVGAS-KCM")).status_code == 200
    assert client.get(own, headers=ADMIN).status_code == 200
    with caplog.at_level(logging.WARNING, logger="thidua.auth"):
        colleague = client.get("/members/PVGAS-0013/initiatives", headers=bearer(token()))
        other_unit = client.get(own, headers=officer("BSR"))
    assert colleague.status_code == other_unit.status_code == 403
    assert the_error(colleague.json())["code"] == "forbidden_member"
    first, second = auth_warnings(caplog)
    assert first.__dict__["reason"] == second.__dict__["reason"] == "not_self_or_officer"
    assert first.__dict__["path"] == "/members/PVGAS-0013/initiatives"
    assert first.__dict__["subject"] == "PVGAS-0012"
    assert second.__dict__["subject"] == "BSR-0001"


def _sign(claims: dict[str, Any], secret: str = SECRET, algorithm: str = "HS256") -> str:
    return jwt.encode(claims, secret, algorithm=algorithm)


def _claims(**changes: Any) -> dict[str, Any]:
    now = int(datetime.now(UTC).timestamp())
    claims: dict[str, Any] = {
        "sub": "PVGAS-0012",
        "name": "Nguyễn Văn An",
        "roles": ["member"],
        "unit": "PVGAS-KCM",
        "iss": SETTINGS.issuer,
        "aud": SETTINGS.audience,
        "iat": now,
        # Made when the tests are collected, which may be long before they run (a whole
        # suite on two busy cores took 40 minutes): not about expiry, so far from it.
        "exp": now + 30 * 24 * 3600,
    }
    claims.update(changes)
    return {key: value for key, value in claims.items() if value is not None}


def _unsigned(claims: dict[str, Any]) -> str:
    def part(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."


@pytest.mark.parametrize(
    ("sent", "reason"),
    [
        ("", TokenProblem.MISSING),
        ("a.b.c", TokenProblem.MALFORMED),
        (_sign(_claims(iss="someone-else")), TokenProblem.WRONG_ISSUER),
        (_sign(_claims(aud=["other-app"])), TokenProblem.WRONG_AUDIENCE),
        (_sign(_claims(aud=None)), TokenProblem.MISSING_CLAIMS),
        (_sign(_claims(exp=None)), TokenProblem.MISSING_CLAIMS),
        (_sign(_claims(unit=None)), TokenProblem.MISSING_CLAIMS),
        (_sign(_claims(name=None)), TokenProblem.MISSING_CLAIMS),
        (_sign(_claims(roles=None)), TokenProblem.MISSING_CLAIMS),
        (_sign(_claims(unit="")), TokenProblem.INVALID_CLAIMS),
        (_sign(_claims(roles=[])), TokenProblem.INVALID_CLAIMS),
        (_sign(_claims(roles="member")), TokenProblem.INVALID_CLAIMS),
        (_sign(_claims(roles=["member", "superuser"])), TokenProblem.UNKNOWN_ROLE),
        (_sign(_claims(iat=int(datetime.now(UTC).timestamp()) + 3600)), TokenProblem.NOT_YET_VALID),
        (_unsigned(_claims(roles=["federation_admin"])), TokenProblem.ALGORITHM_NOT_ALLOWED),
    ],
)
def test_each_kind_of_bad_token_has_its_reason(sent: str, reason: TokenProblem) -> None:
    with pytest.raises(TokenError) as raised:
        decode_token(sent, SETTINGS)
    assert raised.value.reason is reason


def test_a_token_within_the_clock_leeway_is_still_accepted() -> None:
    just_expired = token(now=datetime.now(UTC) - timedelta(hours=8, seconds=10))
    assert decode_token(just_expired, SETTINGS).subject == "PVGAS-0012"
    strict = AuthSettings(secret=SecretStr(SECRET), leeway_seconds=0)
    with pytest.raises(TokenError) as raised:
        decode_token(just_expired, strict)
    assert raised.value.reason is TokenProblem.EXPIRED


def test_principal_helpers() -> None:
    principal = decode_token(token(("member", "unit_officer"), "PVGAS"), SETTINGS)
    assert principal.has_role("unit_officer")
    assert principal.has_role(Role.MEMBER)
    assert not principal.has_role(Role.REVIEWER)
    assert not principal.is_federation_admin
    assert decode_token(ADMIN["Authorization"][7:], SETTINGS).is_federation_admin
    with pytest.raises(ValueError):
        principal.has_role("admin")  # a typo in a service must not just answer "no"


def test_require_roles_refuses_unknown_role_names_at_once() -> None:
    with pytest.raises(ValueError):
        require_roles("admin")
    with pytest.raises(ValueError):
        require_roles()


async def test_the_parent_map_scope_includes_the_unit_itself_and_survives_cycles() -> None:
    assert await SCOPE("PVGAS-KCM", within="PVGAS-KCM")
    assert await SCOPE("PVGAS-KCM", within="CDDKVN")
    assert not await SCOPE("PVGAS", within="PVGAS-KCM")
    assert not await SCOPE("UNKNOWN", within="PVGAS")
    looped = ParentMapScope({"A": "B", "B": "A"})
    assert not await looped("A", within="C")


@pytest.fixture(scope="module")
def rsa_keys() -> tuple[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private, public


def _hs256_signed_with(claims: dict[str, Any], secret: str) -> str:
    # By hand: PyJWT itself refuses to use a PEM public key as an HMAC secret.
    def part(value: bytes) -> str:
        return base64.urlsafe_b64encode(value).rstrip(b"=").decode()

    signing_input = part(b'{"alg":"HS256","typ":"JWT"}') + "." + part(json.dumps(claims).encode())
    signature = hmac.new(secret.encode(), signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{part(signature)}"


def test_rs256_tokens_from_an_oidc_provider_are_checked_with_its_public_key(
    rsa_keys: tuple[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    private, public = rsa_keys
    settings = AuthSettings(algorithm="RS256", public_key=public, issuer="https://sso.example")
    claims = _claims(iss="https://sso.example", roles=["unit_officer"], unit="BSR")
    with TestClient(make_app(settings)) as client:
        accepted = client.get("/me", headers=bearer(_sign(claims, private, "RS256")))
        assert accepted.status_code == 200
        assert accepted.json()["unit_code"] == "BSR"
        with caplog.at_level(logging.WARNING, logger="thidua.auth"):
            # The classic confusion: HS256 "signed" with the public key, which anyone has.
            confused = client.get("/me", headers=bearer(_hs256_signed_with(claims, public)))
            hs256 = client.get("/me", headers=bearer(token()))
    assert confused.status_code == hs256.status_code == 401
    assert [r.__dict__["reason"] for r in auth_warnings(caplog)] == [
        "algorithm_not_allowed",
        "algorithm_not_allowed",
    ]
    with pytest.raises(ValueError):
        mint_token("x", "x", ["member"], "BSR", settings)


def test_rs256_settings_need_a_usable_public_key(rsa_keys: tuple[str, str]) -> None:
    with pytest.raises(ValidationError):
        AuthSettings(algorithm="RS256")
    with pytest.raises(ValidationError):
        AuthSettings(algorithm="RS256", public_key="not a key")
    one_line = rsa_keys[1].replace("\n", "\\n")  # as env files often carry it
    assert AuthSettings(algorithm="RS256", public_key=one_line).public_key == rsa_keys[1].strip()


def test_settings_come_from_the_environment_and_refuse_a_short_secret(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("THIDUA_AUTH_AUDIENCE", "thidua-staging")
    monkeypatch.setenv("THIDUA_AUTH_SECRET", SECRET)
    monkeypatch.setenv("THIDUA_AUTH_LEEWAY_SECONDS", "5")
    settings = AuthSettings()
    assert (settings.audience, settings.leeway_seconds, settings.uses_dev_secret) == (
        "thidua-staging",
        5,
        False,
    )
    assert SECRET not in repr(settings)
    monkeypatch.setenv("THIDUA_AUTH_SECRET", "short")
    with pytest.raises(ValidationError):
        AuthSettings()


def test_the_development_secret_is_warned_about(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.delenv("THIDUA_AUTH_SECRET", raising=False)
    monkeypatch.delenv("THIDUA_AUTH_ALGORITHM", raising=False)
    load_auth_settings.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="thidua.auth"):
            assert load_auth_settings().uses_dev_secret
            warn_if_dev_secret(SETTINGS)  # a real secret: no warning
    finally:
        load_auth_settings.cache_clear()
    [record] = auth_warnings(caplog)
    assert "THIDUA_AUTH_SECRET" in record.getMessage()
    assert AuthSettings().secret.get_secret_value() == DEV_SECRET


def test_dev_tokens_prints_a_token_the_services_accept(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("THIDUA_AUTH_SECRET", SECRET)
    load_auth_settings.cache_clear()
    try:
        assert dev_tokens.main(["member-pvgas", "--ttl-hours", "1"]) == 0
        printed = capsys.readouterr().out.strip()
        assert dev_tokens.main([]) == 0
        every = {
            user: value
            for user, value in (line.split(" ") for line in capsys.readouterr().out.splitlines())
        }
    finally:
        load_auth_settings.cache_clear()
    member = decode_token(printed, SETTINGS)
    assert (member.subject, member.name, member.unit_code) == (
        "PVGAS-0012",
        "Nguyễn Văn An",
        "PVGAS-KCM",
    )
    assert member.roles == {Role.MEMBER}
    claims = jwt.decode(printed, options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] == 3600
    assert set(every) == set(dev_tokens.DEMO_USERS)
    admin = decode_token(every["admin"], SETTINGS)
    assert admin.is_federation_admin
    assert (admin.unit_code, admin.name) == ("CDDKVN", "Nguyễn Thị Quản Trị")
    assert decode_token(every["officer-bsr"], SETTINGS).unit_code == "BSR"


def test_dev_tokens_lists_the_demo_users(capsys: pytest.CaptureFixture[str]) -> None:
    assert dev_tokens.main(["--list"]) == 0
    listed = capsys.readouterr().out
    for user in ("admin", "officer-pvgas", "officer-bsr", "member-pvgas", "reviewer"):
        assert user in listed
    assert "PVGAS-0012" in listed
    with pytest.raises(SystemExit):
        dev_tokens.main(["nobody"])


def test_a_refusal_names_each_role_as_the_pages_do() -> None:
    # A 403 says which roles it needs, mid-sentence: the portal's label, lower-cased first.
    for role in Role:
        vietnamese, _ = CODE_LABELS["role"][role]
        assert ROLE_VI[role] == vietnamese[0].lower() + vietnamese[1:]
    # The reviewer was once a second name ('thành viên hội đồng chấm điểm') in refusals only.
    assert ROLE_VI == {
        Role.MEMBER: "đoàn viên",
        Role.UNIT_OFFICER: "cán bộ công đoàn đơn vị",
        Role.REVIEWER: "thành viên Hội đồng sáng kiến",
        Role.FEDERATION_ADMIN: "quản trị viên Công đoàn Dầu khí Việt Nam",
    }
