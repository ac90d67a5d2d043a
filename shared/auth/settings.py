"""How tokens are checked, read from the environment (`THIDUA_AUTH_*`): the algorithm, the key
or secret, issuer, audience and leeway; a WARNING while the development secret is in use, and
in production (`THIDUA_ENV=production`) a refusal to start with settings anyone could forge
tokens for (`check_startup_settings`)."""

import functools
import logging
from typing import Any, Literal

import jwt
from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.settings import DeploymentSettings

log = logging.getLogger("thidua.auth")

# !!! DEVELOPMENT ONLY !!! This secret is in the repository, so anyone can sign a token with it,
# as anyone, with any role. Every deployment beyond a laptop sets THIDUA_AUTH_SECRET (or uses
# RS256 with an OIDC provider's key); `load_auth_settings` logs a WARNING while it is in use.
DEV_SECRET = "thidua-dev-secret-DO-NOT-USE-IN-PRODUCTION"

# RFC 7518 §3.2: an HS256 key must be at least as long as the hash (32 bytes). The portal's
# session cookies are signed with HMAC-SHA256 too, so their key is held to the same length.
MIN_HS256_SECRET_BYTES = 32


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
            if len(self.secret.get_secret_value().encode()) < MIN_HS256_SECRET_BYTES:
                raise ValueError(
                    f"THIDUA_AUTH_SECRET must be at least {MIN_HS256_SECRET_BYTES} bytes for HS256"
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


class UnsafeSettings(Exception):
    """Settings a service must not start with; the message says each reason and the fix."""


def production_problems(settings: AuthSettings) -> list[str]:
    """Why these token settings would let someone forge or replay tokens in production."""
    problems: list[str] = []
    if settings.uses_dev_secret:
        problems.append(
            "THIDUA_AUTH_SECRET is the public development secret (it is in the repository, so "
            "anyone can sign a token as anyone): set a secret of your own, at least "
            f"{MIN_HS256_SECRET_BYTES} bytes, or use RS256 with THIDUA_AUTH_PUBLIC_KEY"
        )
    if settings.algorithm == "RS256":
        # The defaults name our development issuer: a token of any other client of the same
        # OIDC provider would be accepted unless the issuer and audience are this deployment's.
        unset = sorted({"issuer", "audience"} - settings.model_fields_set)
        if unset:
            names = " and ".join(f"THIDUA_AUTH_{name.upper()}" for name in unset)
            problems.append(f"RS256 needs {names} set to the OIDC provider's values")
    return problems


def demo_sign_in_allowed(settings: AuthSettings, deployment: DeploymentSettings) -> bool:
    """Whether the demo sign-in (pick a demo user, get their token) may exist: in development
    only, and only with the public development secret, under which anyone can mint a token
    anyway (`python -m shared.dev_tokens`), so the page gives nobody more than they have."""
    return not deployment.is_production and settings.uses_dev_secret


def check_startup_settings(deployment: DeploymentSettings) -> AuthSettings:
    """The token settings a service starts with, or `UnsafeSettings` saying why it must not:
    unreadable ones (a secret under 32 bytes, a bad key) in any mode, and in production the
    development secret or RS256 without its issuer and audience."""
    try:
        settings = load_auth_settings()
    except ValidationError as exc:
        reasons = [str(error["msg"]).removeprefix("Value error, ") for error in exc.errors()]
        raise UnsafeSettings("; ".join(reasons)) from None
    problems = deployment.problems()
    if deployment.is_production:
        problems.extend(production_problems(settings))
    if problems:
        raise UnsafeSettings(
            f"refusing to start in {deployment.env} mode (THIDUA_ENV): " + "; ".join(problems)
        )
    return settings
