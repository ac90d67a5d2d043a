from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class ScoringSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="SCORING_", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///.run/data/scoring.sqlite3"
    http_port: int = 8002
