"""The portal's settings (`PORTAL_*`): where it listens, where the services answer, and the
key its session cookies are signed with."""

import logging

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.auth.settings import MIN_HS256_SECRET_BYTES
from shared.settings import load_deployment_settings

log = logging.getLogger("thidua.portal")

# !!! DEVELOPMENT ONLY !!! In the repository, so anyone could sign a session cookie with it;
# in production (THIDUA_ENV=production) the portal refuses to start without its own.
DEV_SESSION_SECRET = "thidua-portal-dev-session-secret-DO-NOT-USE"


class PortalSettings(BaseSettings):
    """Read from the environment as `PORTAL_<FIELD>`, e.g. `PORTAL_SUBMISSIONS_URL`."""

    model_config = SettingsConfigDict(env_prefix="PORTAL_", extra="ignore")

    http_host: str = "127.0.0.1"
    http_port: int = 8005
    log_level: str = "INFO"
    # The services' public JSON APIs, called with the signed-in person's token.
    submissions_url: str = "http://127.0.0.1:8001"
    scoring_url: str = "http://127.0.0.1:8002"
    notifications_url: str = "http://127.0.0.1:8003"
    reporting_url: str = "http://127.0.0.1:8004"
    # Where a browser reaches the dashboard (a link in the menu); the reporting URL by default.
    dashboard_url: str | None = None
    # How long one call to a service may take before the page says it does not answer.
    api_timeout_seconds: float = Field(default=30.0, gt=0)
    session_secret: SecretStr = SecretStr(DEV_SESSION_SECRET)
    session_hours: float = Field(default=8.0, gt=0, le=24)
    # Origins (scheme://host[:port]) a form may be posted from besides the portal's own host,
    # e.g. the public address behind a proxy that rewrites Host. Comma-separated.
    allowed_origins: str = ""

    @property
    def production(self) -> bool:
        # THIDUA_ENV, the deployment's mode, the same for every service (shared/settings.py).
        return load_deployment_settings().is_production

    @property
    def service_urls(self) -> dict[str, str]:
        return {
            "submissions": self.submissions_url,
            "scoring": self.scoring_url,
            "notifications": self.notifications_url,
            "reporting": self.reporting_url,
        }

    @property
    def origins(self) -> frozenset[str]:
        return frozenset(
            o.strip().rstrip("/") for o in self.allowed_origins.split(",") if o.strip()
        )

    def problems(self) -> list[str]:
        """What the portal must not start with."""
        secret = self.session_secret.get_secret_value()
        found = []
        if len(secret.encode()) < MIN_HS256_SECRET_BYTES:
            found.append(f"PORTAL_SESSION_SECRET must be at least {MIN_HS256_SECRET_BYTES} bytes")
        if self.production and secret == DEV_SESSION_SECRET:
            found.append(
                "PORTAL_SESSION_SECRET is the public development secret (it is in the "
                "repository, so anyone could forge a session): set one of your own"
            )
        return found

    def warn_if_dev_secret(self) -> None:
        if self.session_secret.get_secret_value() == DEV_SESSION_SECRET:
            log.warning(
                "PORTAL_SESSION_SECRET is not set: session cookies are signed with the public "
                "development secret. Set it outside development.",
                extra={"setting": "PORTAL_SESSION_SECRET"},
            )
