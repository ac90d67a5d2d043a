from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class ReportingSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="REPORTING_", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///.run/data/reporting.sqlite3"
    http_port: int = 8004
    # How often the targets and the league table are recomputed (if their inputs changed).
    progress_refresh_seconds: float = 5.0
