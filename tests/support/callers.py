"""Who calls in the security tests: a token per role and scope, and tokens that prove nothing
(expired, signed with another secret, `alg=none`), all for the settings the apps under test
read from the environment."""

import base64
import json
from datetime import UTC, datetime, timedelta

import jwt

from shared.auth import Role, load_auth_settings, mint_token


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def signed_as(subject: str, unit: str, *roles: Role) -> dict[str, str]:
    return bearer(mint_token(subject, subject, roles, unit, load_auth_settings()))


def _claims() -> dict[str, object]:
    settings = load_auth_settings()
    now = int(datetime.now(UTC).timestamp())
    return {
        "sub": "CDDKVN-0001",
        "name": "Kẻ giả mạo",
        "roles": [Role.FEDERATION_ADMIN.value],
        "unit": "CDDKVN",
        "iss": settings.issuer,
        "aud": settings.audience,
        "iat": now,
        "exp": now + 600,
    }


def expired() -> dict[str, str]:
    settings = load_auth_settings()
    an_hour_ago = datetime.now(UTC) - timedelta(hours=2)
    token = mint_token(
        "CDDKVN-0001",
        "x",
        [Role.FEDERATION_ADMIN],
        "CDDKVN",
        settings,
        timedelta(hours=1),
        now=an_hour_ago,
    )
    return bearer(token)


def wrongly_signed() -> dict[str, str]:
    return bearer(jwt.encode(_claims(), "another-secret-that-is-32-bytes-long!!", "HS256"))


def unsigned() -> dict[str, str]:
    def part(value: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    return bearer(f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(_claims())}.")


def bad_tokens() -> dict[str, dict[str, str]]:
    """Each kind of token that must be refused with 401 wherever it is sent."""
    return {"expired": expired(), "wrongly signed": wrongly_signed(), "alg=none": unsigned()}
