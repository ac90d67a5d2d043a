"""Settings common to every service; each service subclasses with its own env prefix."""

from typing import Literal

from pydantic import Field, field_validator
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
