from pydantic import Field
from pydantic_settings import SettingsConfigDict

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
    smtp_sender: str = "Thi Đua <thidua@congdoandaukhi.vn>"
    smtp_timeout_seconds: float = 10.0

    webhook_timeout_seconds: float = 5.0
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

    reminder_days: list[int] = Field(default_factory=lambda: [7, 3, 1])
    scheduler_interval_seconds: float = 3600.0
    digest_hour: int = Field(default=17, ge=0, le=23, description="Vietnam time")
