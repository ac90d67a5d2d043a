from typing import Literal

from pydantic import model_validator
from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings

RefresherMode = Literal["in_service", "process"]


class ReportingSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="REPORTING_", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///.run/data/reporting.sqlite3"
    http_port: int = 8004
    # How often the targets and the league table are recomputed (if their inputs changed).
    progress_refresh_seconds: float = 5.0
    # Where they are recomputed (`refresher`): a process of its own, on another core, or on
    # the service's event loop. Unset: in the service on SQLite (a second writing process
    # would contend for the file's lock), a process of its own on any other database.
    progress_refresher: RefresherMode | None = None

    @model_validator(mode="after")
    def _refresher_mode(self) -> "ReportingSettings":
        if self.progress_refresher is None:
            sqlite = self.database_url.startswith("sqlite")
            self.progress_refresher = "in_service" if sqlite else "process"
        return self
