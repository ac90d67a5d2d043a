"""The FastAPI dependencies that guard routes: `CurrentPrincipal`, `OptionalPrincipal` and
`require_roles(...)`, reading the bearer token with the app's `AuthSettings`."""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.security.utils import get_authorization_scheme_param

from shared.auth.principal import ROLE_VI, Principal, Role
from shared.auth.refusals import (
    FORBIDDEN_VI,
    AuthRefusal,
    log_refusal,
    request_line,
    unauthenticated,
)
from shared.auth.settings import AuthSettings, demo_sign_in_allowed, load_auth_settings
from shared.auth.tokens import TokenError, decode_token
from shared.http.ops_access import OPS_PATHS
from shared.settings import DeploymentSettings, load_deployment_settings

_bearer = HTTPBearer(
    auto_error=False,
    description="A token from the federation's sign-in; in development "
    "`python -m shared.dev_tokens USER` prints one.",
)


def auth_settings(request: Request) -> AuthSettings:
    """The app's settings (`app.state.auth_settings`), else those of the environment."""
    configured = getattr(request.app.state, "auth_settings", None)
    return configured if isinstance(configured, AuthSettings) else load_auth_settings()


def deployment_settings(request: Request) -> DeploymentSettings:
    """The app's mode and ops settings (`app.state.deployment`), else the environment's."""
    configured = getattr(request.app.state, "deployment", None)
    if isinstance(configured, DeploymentSettings):
        return configured
    return load_deployment_settings()


def demo_sign_in_enabled(request: Request) -> bool:
    """Whether this app may offer the demo sign-in: development with the development secret."""
    return demo_sign_in_allowed(auth_settings(request), deployment_settings(request))


async def _settings_dependency(request: Request) -> AuthSettings:
    # async: FastAPI runs a plain function dependency in its thread pool, a hop per request.
    return auth_settings(request)


async def current_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)],
    settings: Annotated[AuthSettings, Depends(_settings_dependency)],
) -> Principal:
    line = (request.method, request.url.path)
    request_line.set(line)
    try:
        return decode_token(credentials.credentials if credentials else None, settings)
    except TokenError as exc:
        log_refusal(401, exc.reason, None, line, detail=exc.detail)
        raise unauthenticated(exc.reason) from None


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


async def refuse_invalid_token(
    request: Request, settings: Annotated[AuthSettings, Depends(_settings_dependency)]
) -> None:
    """App-wide: a bearer token that is sent must be valid, on every route, the ones open to
    anyone included (issue 14: public reports answered 200 to an expired, wrongly signed or
    `alg=none` token, so a client's mistake or a forgery went unnoticed). Without a token a
    public route stays public. `/metrics` and the docs check their own operations token
    (shared.http.ops_access), which is no JWT.

    It reads the header itself rather than through `Security(HTTPBearer)`: that would mark
    every operation of the OpenAPI description as needing a token, `/health` included."""
    scheme, token = get_authorization_scheme_param(request.headers.get("authorization"))
    if scheme.lower() != "bearer" or not token or request.url.path in OPS_PATHS:
        return
    credentials = HTTPAuthorizationCredentials(scheme=scheme, credentials=token)
    await current_principal(request, credentials, settings)


@dataclass(frozen=True)
class RoleRequirement:
    """A route's need of one of `allowed` roles: the dependency `require_roles` gives (the
    principal, or a 403), and what `refused_by_role` finds on a route before its input is read.

    Roles are not ranked: a route that a federation admin may also use lists that role.
    """

    allowed: frozenset[Role]

    async def __call__(self, request: Request, principal: CurrentPrincipal) -> Principal:
        if principal.roles & self.allowed:
            return principal
        raise self.refusal(request, principal)

    def refusal(self, request: Request, principal: Principal) -> AuthRefusal:
        log_refusal(
            403,
            "role_not_allowed",
            principal,
            (request.method, request.url.path),
            required_roles=sorted(self.allowed),
        )
        needed_vi = ", ".join(ROLE_VI[role] for role in sorted(self.allowed))
        needed_en = ", ".join(sorted(self.allowed))
        return AuthRefusal(
            403,
            "authorization",
            "forbidden_role",
            f"{FORBIDDEN_VI} (cần vai trò: {needed_vi})",
            f"You are not allowed to do this (it needs the role: {needed_en})",
        )


def require_roles(*roles: Role | str) -> RoleRequirement:
    """A dependency giving the principal if they hold any of `roles`, else a 403."""
    if not roles:
        raise ValueError("require_roles needs at least one role")
    # A typo fails at import, not per request.
    return RoleRequirement(frozenset(Role(role) for role in roles))


def _role_requirements(dependant: Dependant) -> Iterator[RoleRequirement]:
    """Every role requirement among a route's dependencies, however deeply nested (a
    dependency that itself needs a role, as submissions' `UnitActing` does)."""
    for sub_dependant in dependant.dependencies:
        if isinstance(sub_dependant.call, RoleRequirement):
            yield sub_dependant.call
        yield from _role_requirements(sub_dependant)


async def refused_by_role(request: Request) -> AuthRefusal | None:
    """The refusal a caller gets on this route for who they are, if any: 401 without a valid
    token and 403 without a role the route requires. Asked before any input is read (by the
    app-wide `refuse_by_role_first`, and by the error handlers for a body FastAPI could not
    even parse), so that whoever may not call a route learns nothing from what they send."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return None
    requirements = list(_role_requirements(route.dependant))
    if not requirements:
        return None
    scheme, token = get_authorization_scheme_param(request.headers.get("authorization"))
    line = (request.method, request.url.path)
    try:
        sent = token if scheme.lower() == "bearer" and token else None
        principal = decode_token(sent, auth_settings(request))
    except TokenError as exc:
        log_refusal(401, exc.reason, None, line, detail=exc.detail)
        return unauthenticated(exc.reason)
    for requirement in requirements:
        if not principal.roles & requirement.allowed:
            return requirement.refusal(request, principal)
    return None


async def refuse_by_role_first(request: Request) -> None:
    """App-wide, after the token's check and before the input guard: a caller the route's
    role requirement refuses is refused before their path, query or body is looked at."""
    refusal = await refused_by_role(request)
    if refusal is not None:
        raise refusal


# The principal of a route only federation admins may call (403 for anyone else).
FederationAdmin = Annotated[Principal, Depends(require_roles(Role.FEDERATION_ADMIN))]
