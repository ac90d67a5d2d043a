"""Bearer tokens (JWT): checking one into a `Principal` (`decode_token`, or a `TokenError`
saying why it proves nothing) and, in development and tests, signing one (`mint_token`)."""

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

import jwt
from pydantic import TypeAdapter, ValidationError

from shared.auth.principal import Principal, Role
from shared.auth.settings import AuthSettings
from shared.contracts.bounds import Code, PersonName, Subject
from shared.http.input_guard import json_problems


class TokenProblem(StrEnum):
    MISSING = "missing"
    MALFORMED = "malformed"
    INVALID_SIGNATURE = "invalid_signature"
    ALGORITHM_NOT_ALLOWED = "algorithm_not_allowed"
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"
    WRONG_AUDIENCE = "wrong_audience"
    WRONG_ISSUER = "wrong_issuer"
    MISSING_CLAIMS = "missing_claims"
    INVALID_CLAIMS = "invalid_claims"
    UNKNOWN_ROLE = "unknown_role"


class TokenError(Exception):
    """A token that proves nothing; `reason` says why (logged, not shown in that detail)."""

    def __init__(self, reason: TokenProblem, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


# Most specific first: InvalidSignatureError is a DecodeError.
_PYJWT_PROBLEMS: tuple[tuple[type[jwt.InvalidTokenError], TokenProblem], ...] = (
    (jwt.ExpiredSignatureError, TokenProblem.EXPIRED),
    (jwt.ImmatureSignatureError, TokenProblem.NOT_YET_VALID),
    (jwt.InvalidSignatureError, TokenProblem.INVALID_SIGNATURE),
    (jwt.InvalidAlgorithmError, TokenProblem.ALGORITHM_NOT_ALLOWED),
    (jwt.InvalidAudienceError, TokenProblem.WRONG_AUDIENCE),
    (jwt.InvalidIssuerError, TokenProblem.WRONG_ISSUER),
    (jwt.MissingRequiredClaimError, TokenProblem.MISSING_CLAIMS),
    (jwt.DecodeError, TokenProblem.MALFORMED),
)


def decode_token(token: str | None, settings: AuthSettings) -> Principal:
    """The principal a token speaks for, or `TokenError` saying why it speaks for no one."""
    if not token:
        raise TokenError(TokenProblem.MISSING, "no bearer token")
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            settings.verification_key(),
            # Only the configured algorithm: a token must not choose how it is checked
            # ("none", or HS256 signed with the RS256 public key as the secret).
            algorithms=[settings.algorithm],
            audience=settings.audience,
            issuer=settings.issuer,
            leeway=settings.leeway_seconds,
            options={"require": ["sub", "iss", "aud", "exp", "iat"]},
        )
    except jwt.InvalidTokenError as exc:
        reason = next(
            (problem for kind, problem in _PYJWT_PROBLEMS if isinstance(exc, kind)),
            TokenProblem.INVALID_CLAIMS,
        )
        raise TokenError(reason, str(exc)) from exc
    return Principal(
        subject=_text_claim(claims, "sub"),
        name=_text_claim(claims, "name"),
        roles=_roles_claim(claims),
        unit_code=_text_claim(claims, "unit"),
    )


# Each claim a Principal holds is of the contracts' type for what it is stored and sent as:
# the columns that record who acted, the events that name them, a unit's code. A signed token
# is input like any other (an identity provider's bug, or a leaked development secret): what
# fits no field of the contracts is refused here, once, as an invalid token (401), rather than
# by PostgreSQL in whatever query first sends it (NUL and lone surrogates were HTTP 500s on
# every service).
_CLAIM_TYPES: Mapping[str, TypeAdapter[str]] = {
    "sub": TypeAdapter(Subject),
    "name": TypeAdapter(PersonName),
    "unit": TypeAdapter(Code),
}
# All three are one-line texts (shorter than SINGLE_LINE_MAX): the input guard's rules for one
# (no control, bidirectional-override or surrogate character; no line break or tab).
_ONE_LINE = frozenset({()})


def _text_claim(claims: Mapping[str, Any], key: str) -> str:
    value = claims.get(key)
    if value is None:
        raise TokenError(TokenProblem.MISSING_CLAIMS, f'Token is missing the "{key}" claim')
    if not isinstance(value, str) or not value.strip():
        raise TokenError(TokenProblem.INVALID_CLAIMS, f'"{key}" must be a non-empty string')
    try:
        _CLAIM_TYPES[key].validate_python(value, strict=True)
    except ValidationError as exc:
        reason = exc.errors()[0]["msg"]
        raise TokenError(TokenProblem.INVALID_CLAIMS, f'"{key}": {reason}') from None
    if problem := next(json_problems(value, _ONE_LINE), None):
        raise TokenError(TokenProblem.INVALID_CLAIMS, f'"{key}": {problem["message_en"]}')
    return value


def _roles_claim(claims: Mapping[str, Any]) -> frozenset[Role]:
    value = claims.get("roles")
    if value is None:
        raise TokenError(TokenProblem.MISSING_CLAIMS, 'Token is missing the "roles" claim')
    if not isinstance(value, list) or not value or not all(isinstance(r, str) for r in value):
        raise TokenError(TokenProblem.INVALID_CLAIMS, '"roles" must be a non-empty list of names')
    unknown = sorted(set(value) - {role.value for role in Role})
    if unknown:
        raise TokenError(TokenProblem.UNKNOWN_ROLE, f"unknown roles: {', '.join(unknown)}")
    return frozenset(Role(role) for role in value)


def mint_token(
    subject: str,
    name: str,
    roles: Iterable[Role | str],
    unit_code: str,
    settings: AuthSettings,
    ttl: timedelta = timedelta(hours=8),
    *,
    now: datetime | None = None,
) -> str:
    """A signed token (HS256 only: with RS256 the OIDC provider signs, not us)."""
    if settings.algorithm != "HS256":
        raise ValueError("tokens are minted here with HS256 only; with RS256 the provider signs")
    # A token expires on the machine's clock, never the campaign's (a simulated 2022 must not
    # make today's tokens look years from being issued).
    issued_at = now or datetime.now(UTC)
    claims = {
        "sub": subject,
        "name": name,
        "roles": sorted({Role(role).value for role in roles}),
        "unit": unit_code,
        "iss": settings.issuer,
        "aud": settings.audience,
        "iat": int(issued_at.timestamp()),
        "exp": int((issued_at + ttl).timestamp()),
    }
    return jwt.encode(claims, settings.secret.get_secret_value(), algorithm="HS256")
