"""How tokens are checked, read from the environment (`THIDUA_AUTH_*`): the algorithm, the key
or secret, issuer, audience and leeway; a WARNING while the development secret is in use."""

import functools
import logging
from typing import Any, Literal

import jwt
from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

log = logging.getLogger("thidua.auth")

# !!! DEVELOPMENT ONLY !!! This secret is in the repository, so anyone can sign a token with it,
# as anyone, with any role. Every deployment beyond a laptop sets THIDUA_AUTH_SECRET (or uses
# RS256 with an OIDC provider's key); `load_auth_settings` logs a WARNING while it is in use.
DEV_SECRET = "thidua-dev-secret-DO-NOT-USE-IN-PRODUCTION"

# RFC 7518 §3.2: an HS256 key must be at least as long as the hash (32 bytes).
_MIN_HS256_SECRET_BYTES = 32


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
