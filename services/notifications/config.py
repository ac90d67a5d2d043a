from typing import Self

from pydantic import Field, field_validator, model_validator
from pydantic_settings import SettingsConfigDict

from services.notifications.channels.destinations import Network, parse_networks
from services.notifications.channels.email import DEFAULT_SENDER
from shared.settings import ServiceSettings


class NotificationsSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="NOTIFICATIONS_", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///.run/data/notifications.sqlite3"
    http_port: int = 8003

    smtp_host: str = "127.0.0.1"
    smtp_port: int = 1025
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_start_tls: bool = False
    smtp_sender: str = DEFAULT_SENDER
    smtp_timeout_seconds: float = 10.0

    webhook_timeout_seconds: float = 5.0
    # Networks a webhook may point into although they are not public (comma-separated CIDRs,
    # e.g. "127.0.0.0/8" for a receiver on this machine in development and tests). Empty: only
    # public addresses (services/notifications/channels/destinations.py).
    webhook_allowed_networks: str = ""
    # Attempts before a delivery is dead (kept, visible, redeliverable by an operator).
    max_attempts: int = Field(default=6, ge=1)
    retry_base_seconds: float = 2.0
    retry_max_seconds: float = 3600.0
    # How often an idle worker looks for deliveries falling due (retries, another process's
    # work). It does not wait for this while it has work: a delivery committed in this
    # process wakes it, and a freed slot starts the next claimed one at once.
    worker_poll_seconds: float = Field(default=0.5, gt=0)
    # Sends in progress at once, in all.
    worker_concurrency: int = Field(default=64, ge=1)
    # ... and for any one recipient (a webhook subscriber, a person's email): its slots, and a
    # subscriber's keep-alive connections. A slow or failing subscriber holds at most these,
    # so the others keep their pace.
    per_subscriber_concurrency: int = Field(default=8, ge=1)
    # How long a claimed delivery stays its worker's (`in_flight`) before another may take it
    # back as interrupted (a webhook resent under its id, an email held as uncertain). It must
    # outlast a claim's wait for a slot and its send: a worker that stops cleanly gives its
    # own back at once, so this matters only after a crash.
    claim_lease_seconds: float = Field(default=60.0, gt=0)

    reminder_days: list[int] = Field(default_factory=lambda: [7, 3, 1])
    scheduler_interval_seconds: float = 3600.0
    digest_hour: int = Field(default=17, ge=0, le=23, description="Vietnam time")

    @field_validator("webhook_allowed_networks")
    @classmethod
    def _networks_parse(cls, value: str) -> str:
        parse_networks(value)  # a typo refuses to start, rather than allowing nothing or all
        return value

    @model_validator(mode="after")
    def _lease_outlasts_a_send(self) -> Self:
        # A claim waits for at most one send on its slot, then sends: a shorter lease would
        # let another replica take back, and send again, what is still being sent.
        longest = 2 * max(self.webhook_timeout_seconds, self.smtp_timeout_seconds)
        if self.claim_lease_seconds < longest:
            raise ValueError(
                f"claim_lease_seconds ({self.claim_lease_seconds:g}) must be at least twice "
                f"the longest send timeout ({longest:g})"
            )
        return self

    def allowed_networks(self) -> tuple[Network, ...]:
        return parse_networks(self.webhook_allowed_networks)
