"""Who is calling and what they may do: bearer tokens (JWT), checked the same way by every service.

A token carries OIDC-style claims: `sub` (the person's id, e.g. a member id), `name`, `roles`
(`member`, `unit_officer`, `reviewer`, `federation_admin`), `unit` (the unit code the person
belongs to or acts for), `iss`, `aud`, `exp`, `iat`. In development every service checks tokens
with one shared HS256 secret (`python -m shared.dev_tokens` prints some); in production an OIDC
provider signs them with RS256 and the services hold only its public key.

Who may do what: a member sees and submits their own things; a unit officer acts for their unit's
subtree and no other; a reviewer scores what they are assigned; a federation admin manages
campaigns and phases. The unit tree lives in the submissions service's database, so this module
does not know it: a service passes a `UnitScope` that answers "is unit X inside unit Y's subtree".

Every refusal (401 and 403) is answered in Vietnamese and English like any other client error and
logged at WARNING by `thidua.auth`, with the subject, roles, method, path and reason.

Wiring in a service: `app.state.auth_settings = load_auth_settings()` at startup (which also
warns when the development secret is in use) and `install_auth_error_handler(app)` so that a 401
carries its `WWW-Authenticate` header. Routes then take `principal: CurrentPrincipal`, or
`Annotated[Principal, Depends(require_roles(Role.UNIT_OFFICER))]`.
"""

import functools
import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Annotated, Any, Literal, Protocol

import jwt
from fastapi import Depends, FastAPI, Request, Security
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.contracts.bounds import CODE_MAX, PERSON_NAME_MAX, SUBJECT_MAX
from shared.http.errors import ClientError

log = logging.getLogger("thidua.auth")

# !!! DEVELOPMENT ONLY !!! This secret is in the repository, so anyone can sign a token with it,
# as anyone, with any role. Every deployment beyond a laptop sets THIDUA_AUTH_SECRET (or uses
# RS256 with an OIDC provider's key); `load_auth_settings` logs a WARNING while it is in use.
DEV_SECRET = "thidua-dev-secret-DO-NOT-USE-IN-PRODUCTION"

# RFC 7518 §3.2: an HS256 key must be at least as long as the hash (32 bytes).
_MIN_HS256_SECRET_BYTES = 32


class Role(StrEnum):
    MEMBER = "member"
    UNIT_OFFICER = "unit_officer"
    REVIEWER = "reviewer"
    FEDERATION_ADMIN = "federation_admin"


_ROLE_VI: dict[Role, str] = {
    Role.MEMBER: "đoàn viên",
    Role.UNIT_OFFICER: "cán bộ công đoàn đơn vị",
    Role.REVIEWER: "thành viên hội đồng chấm điểm",
    Role.FEDERATION_ADMIN: "quản trị viên Công đoàn Dầu khí Việt Nam",
}


class AuthSettings(BaseSettings):
    """Read from the environment as `THIDUA_AUTH_<FIELD>`; the same for all four services."""

    model_config = SettingsConfigDict(env_prefix="THIDUA_AUTH_", extra="ignore")

    issuer: str = "thidua-dev"
    audience: str = "thidua"
    algorithm: Literal["HS256", "RS256"] = "HS256"
    secret: SecretStr = SecretStr(DEV_SECRET)
    # The OIDC provider's public key (PEM) when it signs the tokens (RS256).
    public_key: str | None = None
    # Tolerated clock difference between the token's signer and this machine.
    leeway_seconds: float = Field(default=30, ge=0, le=300)

    @field_validator("public_key")
    @classmethod
    def _unescape_newlines(cls, value: str | None) -> str | None:
        # Env files and secret stores often carry a PEM on one line with literal `\n`s.
        return value.replace("\\n", "\n").strip() if value else None

    @model_validator(mode="after")
    def _key_fits_algorithm(self) -> "AuthSettings":
        if self.algorithm == "HS256":
            if len(self.secret.get_secret_value().encode()) < _MIN_HS256_SECRET_BYTES:
                raise ValueError(
                    f"THIDUA_AUTH_SECRET must be at least {_MIN_HS256_SECRET_BYTES} bytes for HS256"
                )
            return self
        if not self.public_key:
            raise ValueError("RS256 needs THIDUA_AUTH_PUBLIC_KEY, the signer's public key (PEM)")
        try:  # a bad key fails at startup, not on every request
            _prepared_key(self.algorithm, self.public_key)
        except Exception as exc:
            raise ValueError(f"THIDUA_AUTH_PUBLIC_KEY is not a usable RS256 key: {exc}") from exc
        return self

    @property
    def uses_dev_secret(self) -> bool:
        return self.algorithm == "HS256" and self.secret.get_secret_value() == DEV_SECRET

    def verification_key(self) -> Any:
        if self.algorithm == "RS256":
            return _prepared_key(self.algorithm, self.public_key or "")
        return _prepared_key(self.algorithm, self.secret.get_secret_value())


@functools.lru_cache(maxsize=8)
def _prepared_key(algorithm: str, key: str) -> Any:
    # Parsed once: reading a PEM on every request is waste. Needs `cryptography` for RS256.
    return jwt.get_algorithm_by_name(algorithm).prepare_key(key)


def warn_if_dev_secret(settings: AuthSettings) -> None:
    if settings.uses_dev_secret:
        log.warning(
            "THIDUA_AUTH_SECRET is not set: tokens are checked with the public development "
            "secret, so anyone can sign in as anyone. Set it (or use RS256) outside development.",
            extra={"setting": "THIDUA_AUTH_SECRET"},
        )


@functools.lru_cache(maxsize=1)
def load_auth_settings() -> AuthSettings:
    """The settings from the environment, read once per process (call it at startup)."""
    settings = AuthSettings()
    warn_if_dev_secret(settings)
    return settings


@dataclass(frozen=True, slots=True)
class Principal:
    """The person a valid token speaks for."""

    subject: str
    name: str
    roles: frozenset[Role]
    unit_code: str

    def has_role(self, role: Role | str) -> bool:
        return Role(role) in self.roles  # an unknown name raises: a typo must not just say no

    # A property, not a method: `if principal.is_federation_admin:` must never be always true.
    @property
    def is_federation_admin(self) -> bool:
        return Role.FEDERATION_ADMIN in self.roles


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
        # As long as the columns that record who acted, and the events that name them, hold.
        subject=_text_claim(claims, "sub", SUBJECT_MAX),
        name=_text_claim(claims, "name", PERSON_NAME_MAX),
        roles=_roles_claim(claims),
        unit_code=_text_claim(claims, "unit", CODE_MAX),
    )


def _text_claim(claims: Mapping[str, Any], key: str, max_length: int) -> str:
    value = claims.get(key)
    if value is None:
        raise TokenError(TokenProblem.MISSING_CLAIMS, f'Token is missing the "{key}" claim')
    if not isinstance(value, str) or not value.strip():
        raise TokenError(TokenProblem.INVALID_CLAIMS, f'"{key}" must be a non-empty string')
    if len(value) > max_length:
        raise TokenError(
            TokenProblem.INVALID_CLAIMS, f'"{key}" is longer than {max_length} characters'
        )
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


class AuthRefusal(ClientError):
    """A 401 or 403 from this module, with the headers its response must carry."""

    def __init__(
        self,
        status_code: int,
        field: str,
        code: str,
        message_vi: str,
        message_en: str,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(status_code, field, code, message_vi, message_en)
        self.headers = dict(headers or {})


def install_auth_error_handler(app: FastAPI) -> None:
    """Answer refusals like other client errors, plus their headers (`WWW-Authenticate`).

    The handler for `ClientError` would drop the headers; this one, more specific, wins.
    """

    @app.exception_handler(AuthRefusal)
    async def on_auth_refusal(_: Request, exc: AuthRefusal) -> JSONResponse:
        return JSONResponse(
            status_code=exc.status_code, content={"errors": [exc.error]}, headers=exc.headers
        )


# The request being served, for the log line of a refusal made inside a route, where
# `ensure_can_act_for_unit` has no request at hand. Set where the principal is resolved, which
# every guarded route does first; each request runs in its own task, so it never leaks.
_request_line: ContextVar[tuple[str, str] | None] = ContextVar("thidua_auth_request", default=None)


def _log_refusal(
    status_code: int,
    reason: str,
    principal: Principal | None,
    request_line: tuple[str, str] | None,
    **details: object,
) -> None:
    method, path = request_line or (None, None)
    log.warning(
        "authentication refused" if status_code == 401 else "permission refused",
        extra={
            "status_code": status_code,
            "reason": reason,
            "subject": principal.subject if principal else None,
            "roles": sorted(role.value for role in principal.roles) if principal else [],
            "principal_unit": principal.unit_code if principal else None,
            "method": method,
            "path": path,
            **details,
        },
    )


def _unauthenticated(reason: TokenProblem) -> AuthRefusal:
    # RFC 6750 §3.1: no error code when no credentials were sent. The client learns only
    # "sign in" or "sign in again"; the precise reason is in the log.
    if reason is TokenProblem.MISSING:
        return AuthRefusal(
            401,
            "authorization",
            "not_authenticated",
            "Cần đăng nhập để thực hiện thao tác này",
            "Sign-in required: send a bearer token in the Authorization header",
            {"WWW-Authenticate": "Bearer"},
        )
    if reason is TokenProblem.EXPIRED:
        code, message_vi, message_en = (
            "token_expired",
            "Phiên đăng nhập đã hết hạn, vui lòng đăng nhập lại",
            "Your session has expired; please sign in again",
        )
    else:
        code, message_vi, message_en = (
            "token_invalid",
            "Phiên đăng nhập không hợp lệ, vui lòng đăng nhập lại",
            "The sign-in token is not valid; please sign in again",
        )
    headers = {"WWW-Authenticate": 'Bearer error="invalid_token"'}
    return AuthRefusal(401, "authorization", code, message_vi, message_en, headers)


_FORBIDDEN_VI = "Bạn không có quyền thực hiện thao tác này"

_bearer = HTTPBearer(
    auto_error=False,
    description="A token from the federation's sign-in; in development "
    "`python -m shared.dev_tokens USER` prints one.",
)


def auth_settings(request: Request) -> AuthSettings:
    """The app's settings (`app.state.auth_settings`), else those of the environment."""
    configured = getattr(request.app.state, "auth_settings", None)
    return configured if isinstance(configured, AuthSettings) else load_auth_settings()


async def _settings_dependency(request: Request) -> AuthSettings:
    # async: FastAPI runs a plain function dependency in its thread pool, a hop per request.
    return auth_settings(request)


async def current_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)],
    settings: Annotated[AuthSettings, Depends(_settings_dependency)],
) -> Principal:
    line = (request.method, request.url.path)
    _request_line.set(line)
    try:
        return decode_token(credentials.credentials if credentials else None, settings)
    except TokenError as exc:
        _log_refusal(401, exc.reason, None, line, detail=exc.detail)
        raise _unauthenticated(exc.reason) from None


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


async def optional_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)],
    settings: Annotated[AuthSettings, Depends(_settings_dependency)],
) -> Principal | None:
    """For routes that publish aggregates to anyone: None without a token; a token that is
    sent must still be valid (401 otherwise), so a mistake is not silently ignored."""
    if credentials is None:
        return None
    return await current_principal(request, credentials, settings)


OptionalPrincipal = Annotated[Principal | None, Depends(optional_principal)]


def require_roles(*roles: Role | str) -> Callable[[Request, Principal], Awaitable[Principal]]:
    """A dependency giving the principal if they hold any of `roles`, else a 403.

    Roles are not ranked: a route that a federation admin may also use lists that role.
    """
    if not roles:
        raise ValueError("require_roles needs at least one role")
    allowed = frozenset(Role(role) for role in roles)  # a typo fails at import, not per request
    needed_vi = ", ".join(_ROLE_VI[role] for role in sorted(allowed))
    needed_en = ", ".join(sorted(allowed))

    async def principal_with_role(request: Request, principal: CurrentPrincipal) -> Principal:
        if principal.roles & allowed:
            return principal
        _log_refusal(
            403,
            "role_not_allowed",
            principal,
            (request.method, request.url.path),
            required_roles=sorted(allowed),
        )
        raise AuthRefusal(
            403,
            "authorization",
            "forbidden_role",
            f"{_FORBIDDEN_VI} (cần vai trò: {needed_vi})",
            f"You are not allowed to do this (it needs the role: {needed_en})",
        )

    return principal_with_role


class UnitScope(Protocol):
    """Whether `unit_code` is inside the subtree of unit `within` (which includes `within`).

    Provided by each service: the unit tree lives in the submissions service's database.
    """

    async def __call__(self, unit_code: str, *, within: str) -> bool: ...


class ParentMapScope:
    """A `UnitScope` over a map of each unit code to its parent's (None at the root)."""

    def __init__(self, parents: Mapping[str, str | None]) -> None:
        self._parents = dict(parents)

    async def __call__(self, unit_code: str, *, within: str) -> bool:
        seen: set[str] = set()  # a cycle in bad data must end the walk, not hang the request
        current: str | None = unit_code
        while current is not None and current not in seen:
            if current == within:
                return True
            seen.add(current)
            current = self._parents.get(current)
        return False


async def can_act_for_unit(principal: Principal, unit_code: str, scope: UnitScope) -> bool:
    """Without refusing (to filter a list): a federation admin, or an officer over the unit."""
    if principal.is_federation_admin:
        return True
    if not principal.has_role(Role.UNIT_OFFICER):
        return False
    return unit_code == principal.unit_code or await scope(unit_code, within=principal.unit_code)


async def ensure_can_act_for_unit(
    principal: Principal, unit_code: str, scope: UnitScope, *, field: str = "unit_code"
) -> None:
    """403 (logged) unless a federation admin, or a unit officer whose subtree has the unit."""
    if await can_act_for_unit(principal, unit_code, scope):
        return
    _log_refusal(403, "unit_outside_scope", principal, _request_line.get(), unit_code=unit_code)
    raise AuthRefusal(
        403,
        field,
        "forbidden_unit",
        f"{_FORBIDDEN_VI} cho đơn vị {unit_code}",
        f"You are not allowed to act for unit {unit_code}",
    )


async def ensure_is_self_or_officer(
    principal: Principal,
    member_id: str,
    member_unit: str,
    scope: UnitScope,
    *,
    field: str = "member_id",
) -> None:
    """403 (logged) unless the member themself, an officer over their unit, or a federation
    admin: "a member sees their own"."""
    if principal.subject == member_id or await can_act_for_unit(principal, member_unit, scope):
        return
    _log_refusal(
        403,
        "not_self_or_officer",
        principal,
        _request_line.get(),
        member_id=member_id,
        unit_code=member_unit,
    )
    raise AuthRefusal(
        403,
        field,
        "forbidden_member",
        f"{_FORBIDDEN_VI} cho đoàn viên {member_id}",
        f"Only member {member_id} or an officer of their unit may do this",
    )
