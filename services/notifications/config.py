from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class NotificationsSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="NOTIFICATIONS_", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///.run/data/notifications.sqlite3"
    http_port: int = 8003
