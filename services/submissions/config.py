from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class SubmissionsSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="SUBMISSIONS_", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///.run/data/submissions.sqlite3"
    http_port: int = 8001
    attachments_dir: str = ".run/attachments"
    attachment_max_bytes: int = 10 * 1024 * 1024
    # Where the portal moved (services/portal): the old /portal addresses redirect there.
    portal_url: str = "http://127.0.0.1:8005"
