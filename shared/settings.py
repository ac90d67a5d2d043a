"""Settings common to every service: `ServiceSettings`, which each service subclasses with its own
env prefix, and `DeploymentSettings` (`THIDUA_ENV` and the other `THIDUA_*`), the same for all."""

from enum import StrEnum
from functools import cache
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.contracts.topics import (
    PARTITIONS_VARIABLE,
    TopicSpec,
    parse_partitions,
    with_partitions,
)


class ServiceSettings(BaseSettings):
    """Read from the environment as `<SERVICE>_<FIELD>`, e.g. `REPORTING_DATABASE_URL`."""

    model_config = SettingsConfigDict(extra="ignore")

    database_url: str
    kafka_bootstrap_servers: str = "127.0.0.1:9092"
    http_host: str = "127.0.0.1"
    http_port: int
    log_level: str = "INFO"
    outbox_poll_interval_seconds: float = 0.5
    # Where a consumer group without committed offsets starts: "earliest" so that a new
    # service (or a new replica set after a reset) sees the topics from the beginning.
    kafka_auto_offset_reset: Literal["earliest", "latest", "none"] = "earliest"
    # The consumer group; by default the service's name. A new group on a new database
    # rebuilds the service's state from the topics from the start.
    kafka_group_id: str | None = None
    # What this process does. "all" (the default, what `make run` starts): it serves its API,
    # applies the events it subscribes to and runs its workers. "api": it serves its API and
    # publishes its own outbox, and consumes nothing: replicas that answer requests beside
    # the ones that apply events, so that a read never waits behind a batch being applied on
    # the same event loop (bench/national_year's query series measures both).
    role: Literal["all", "api"] = "all"
    # How long one consumer transaction should last: a poll is applied in slices sized to
    # it (shared.messaging.pacing), so a rebalance under it loses at most that much work.
    consumer_transaction_seconds: float = Field(default=5.0, gt=0)
    # How often the consumer group's lag is measured into `<service>_consumer_lag_*`.
    lag_poll_interval_seconds: float = 15.0
    # Partition counts other than the declaration's (shared.contracts.topics), the same for
    # every service, hence no prefix: THIDUA_TOPIC_PARTITIONS="thidua.initiatives.v1=24,*=2".
    topic_partitions: str = Field(default="", validation_alias=PARTITIONS_VARIABLE)

    @field_validator("topic_partitions")
    @classmethod
    def _partitions_parse(cls, value: str) -> str:
        parse_partitions(value)  # a typo refuses to start instead of being ignored
        return value

    def topics(self) -> tuple[TopicSpec, ...]:
        """Every topic the project provisions, with this environment's partition counts."""
        return with_partitions(parse_partitions(self.topic_partitions))


class Environment(StrEnum):
    DEVELOPMENT = "development"
    PRODUCTION = "production"


class OpsAccess(StrEnum):
    """Who may read `/docs` and `/openapi.json`, or `/metrics`."""

    OPEN = "open"
    TOKEN = "token"  # `Authorization: Bearer <THIDUA_OPS_TOKEN>`, as Prometheus sends it
    OFF = "off"  # 404, as if the route did not exist


# As long as an HS256 secret: a token an attacker can guess protects nothing.
OPS_TOKEN_MIN_BYTES = 32

# 11 MiB: the largest attachment or spreadsheet import (10 MiB, SUBMISSIONS_ATTACHMENT_MAX_BYTES)
# plus its multipart envelope. A deployment that allows larger files raises both.
DEFAULT_MAX_BODY_BYTES = 11 * 1024 * 1024
# 2 MiB for JSON and URL-encoded forms: the largest the contracts allow in practice (an
# initiative's four long texts, 80,000 characters, are at most ~720 KB even percent-encoded; a
# score sheet of 1,000 lines with short notes ~200 KB). No file travels as JSON.
DEFAULT_MAX_TEXT_BODY_BYTES = 2 * 1024 * 1024


class DeploymentSettings(BaseSettings):
    """How this deployment runs, the same for every service: `THIDUA_<FIELD>`.

    `THIDUA_ENV=production` turns the development conveniences off: a service then refuses to
    start with the public development token secret or without a configured issuer/audience
    (shared.auth.settings.production_problems), serves no demo sign-in, and closes `/docs`,
    `/openapi.json` (off) and `/metrics` (behind `THIDUA_OPS_TOKEN`) unless told otherwise.
    Development is the default so that a fresh clone's `make run` and tests work as they are;
    every deployment states its mode (docker-compose, the Helm chart)."""

    model_config = SettingsConfigDict(env_prefix="THIDUA_", extra="ignore")

    env: Environment = Environment.DEVELOPMENT
    # None: open in development; in production docs are off and metrics need the token.
    docs: OpsAccess | None = None
    metrics: OpsAccess | None = None
    ops_token: SecretStr | None = None
    # A request body above these is refused with 413 before it is read (shared.http.body_limit):
    # the first for files (multipart), the second for JSON, forms and anything else.
    max_body_bytes: int = Field(default=DEFAULT_MAX_BODY_BYTES, ge=1024)
    max_text_body_bytes: int = Field(default=DEFAULT_MAX_TEXT_BODY_BYTES, ge=1024)

    @property
    def is_production(self) -> bool:
        return self.env is Environment.PRODUCTION

    @property
    def docs_access(self) -> OpsAccess:
        if self.docs is not None:
            return self.docs
        return OpsAccess.OFF if self.is_production else OpsAccess.OPEN

    @property
    def metrics_access(self) -> OpsAccess:
        if self.metrics is not None:
            return self.metrics
        return OpsAccess.TOKEN if self.is_production else OpsAccess.OPEN

    def problems(self) -> list[str]:
        """What makes these settings unusable (a service refuses to start with them)."""
        found: list[str] = []
        needs_token = OpsAccess.TOKEN in (self.docs_access, self.metrics_access)
        token = self.ops_token.get_secret_value() if self.ops_token else ""
        if needs_token and len(token.encode()) < OPS_TOKEN_MIN_BYTES:
            found.append(
                f"THIDUA_OPS_TOKEN must be set, at least {OPS_TOKEN_MIN_BYTES} bytes, when "
                "/docs or /metrics are behind a token (THIDUA_DOCS / THIDUA_METRICS=token; "
                "THIDUA_METRICS is 'token' by default in production): set it, or set "
                "THIDUA_METRICS=off"
            )
        return found


class CampaignSettings(BaseSettings):
    """The campaign a request, a page or an export means when it names none, the same for every
    service: `THIDUA_CAMPAIGN_CODE` (the year's plan)."""

    model_config = SettingsConfigDict(env_prefix="THIDUA_", extra="ignore")

    campaign_code: str = "2022"


@cache
def default_campaign_code() -> str:
    """A deployment that moves to next year's plan changes one setting. Read once per process
    (its environment does not change while it runs): reading the settings anew cost each
    request that names no campaign a few tenths of a millisecond of CPU."""
    return CampaignSettings().campaign_code


def load_deployment_settings() -> DeploymentSettings:
    return DeploymentSettings()
