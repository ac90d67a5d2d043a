"""Creates the topics the project declares (shared.contracts.topics), before anything uses them.

The brokers the project runs never create a topic on first use (auto.create.topics.enable is
off): a topic made that way gets the broker's partition count and retention, not ours, and a
typo in a topic's name becomes a new topic instead of an error. So every service creates the
declared topics in its `migrate` step and again before its consumer starts; the Helm chart
declares the same topics for a cluster's own operator.

Idempotent and conservative: a missing topic is created with its partitions and config; an
existing one is left as it is, with a warning where it differs from the declaration. Its
retention or cleanup policy: shortening a retention deletes records, an operator's call. Fewer
partitions than declared: never grown here, since adding partitions moves keys to other
partitions, so one aggregate's next events could be read before its earlier ones; an operator
grows it deliberately, producers stopped (`kafka-topics.sh --alter --partitions`). Nothing is
ever shrunk (Kafka cannot) or deleted.
"""

import asyncio
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
from aiokafka.errors import KafkaConnectionError, KafkaError, TopicAlreadyExistsError, for_code

from shared.contracts.topics import TopicSpec

log = logging.getLogger(__name__)

# Copies of each partition: every broker's, up to three (one broker locally and in tests).
MAX_REPLICATION = 3


class ProvisioningFailed(Exception):
    """The broker refused to create a topic (the message names it and says why)."""


@dataclass(frozen=True)
class Provisioned:
    """What one provisioning found and did."""

    created: tuple[str, ...]
    existing: tuple[str, ...]
    # Existing topics with fewer partitions than declared: {topic: (has, declared)}.
    short: Mapping[str, tuple[int, int]]
    # Existing topics whose retention.ms or cleanup.policy is not the declared one (a topic
    # auto-created before provisioning has the broker's retention): {topic: ((key, (has,
    # declared)), ...)}. Warned about, never changed here: shortening a retention deletes.
    drifted: Mapping[str, tuple[tuple[str, tuple[str, str]], ...]] = field(default_factory=dict)

    def line(self) -> str:
        notes = [
            f"{len(self.short)} with fewer partitions than declared" if self.short else "",
            f"{len(self.drifted)} configured otherwise" if self.drifted else "",
        ]
        return ", ".join(
            [f"topics: {len(self.created)} created, {len(self.existing)} already there"]
            + [note for note in notes if note]
        )


def topic_configs(spec: TopicSpec) -> dict[str, str]:
    """The topic-level settings a declared topic is created with."""
    return {"retention.ms": str(spec.retention_ms), "cleanup.policy": spec.cleanup_policy}


async def provision_topics(
    bootstrap_servers: str,
    specs: Sequence[TopicSpec],
    *,
    client_id: str = "thidua-topics",
) -> Provisioned:
    """Create those of `specs` that do not exist; warn about existing ones with fewer
    partitions than declared. Retries while Kafka cannot be reached or calls its error
    retriable (a broker still starting), for as long as the caller waits (asyncio.timeout);
    raises ProvisioningFailed when the broker refuses a topic (not authorised, say)."""
    while True:
        admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers, client_id=client_id)
        try:
            await admin.start()
            return await _provision(admin, specs)
        except KafkaError as error:
            if not error.retriable and not isinstance(error, KafkaConnectionError):
                raise
            log.info("topic provisioning: %s; retrying", error)
        finally:
            await admin.close()
        await asyncio.sleep(1.0)


async def _provision(admin: AIOKafkaAdminClient, specs: Sequence[TopicSpec]) -> Provisioned:
    existing = await _partition_counts(admin)
    missing = [spec for spec in specs if spec.name not in existing]
    created = await _create(admin, missing) if missing else []
    # Created topics are usable once every partition has a leader in the metadata the
    # consumers and producers will ask for (the controller answers before that).
    await _wait_for_leaders(admin, [spec.name for spec in missing])
    short = {
        spec.name: (existing[spec.name], spec.partitions)
        for spec in specs
        if spec.name in existing and existing[spec.name] < spec.partitions
    }
    for name, (has, declared) in short.items():
        log.warning(
            "topic %s has %d partition(s), %d declared: left as it is (growing it moves keys "
            "to other partitions; see shared/messaging/provisioning.py); at most %d replicas "
            "of a consumer share it",
            name,
            has,
            declared,
            has,
            extra={"topic": name, "partitions": has, "declared_partitions": declared},
        )
    present = [spec for spec in specs if spec.name in existing]
    drifted = await _config_drift(admin, present) if present else {}
    for name, differences in drifted.items():
        log.warning(
            "topic %s is configured otherwise than declared (%s): left as it is; set it with "
            "kafka-configs.sh --alter --entity-type topics --entity-name %s --add-config ...",
            name,
            ", ".join(f"{key} {has} (declared {wanted})" for key, (has, wanted) in differences),
            name,
            extra={"topic": name},
        )
    result = Provisioned(
        created=tuple(created),
        existing=tuple(spec.name for spec in present),
        short=short,
        drifted=drifted,
    )
    log.info(result.line(), extra={"topics_created": list(result.created)})
    return result


async def _partition_counts(admin: AIOKafkaAdminClient) -> dict[str, int]:
    """Every existing topic's partition count. All topics' metadata, never some by name: a
    broker that does auto-create topics would create a missing one on being asked for it."""
    described: list[dict[str, Any]] = await admin.describe_topics()
    return {t["topic"]: len(t["partitions"]) for t in described if not t["error_code"]}


async def _config_drift(
    admin: AIOKafkaAdminClient, specs: Sequence[TopicSpec]
) -> dict[str, tuple[tuple[str, tuple[str, str]], ...]]:
    """Existing topics whose effective settings (their own, else the broker's default) differ
    from the declared ones."""
    wanted = {spec.name: topic_configs(spec) for spec in specs}
    responses = await admin.describe_configs(
        [
            ConfigResource(ConfigResourceType.TOPIC, name, dict(configs))
            for name, configs in wanted.items()
        ]
    )
    drifted: dict[str, tuple[tuple[str, tuple[str, str]], ...]] = {}
    for response in responses:
        for resource in response.to_object()["resources"]:
            name = resource["resource_name"]
            if resource["error_code"] or name not in wanted:
                continue
            has = {e["config_names"]: e["config_value"] for e in resource["config_entries"]}
            differences = tuple(
                (key, (str(has.get(key)), value))
                for key, value in wanted[name].items()
                if has.get(key) != value
            )
            if differences:
                drifted[name] = differences
    return drifted


async def _create(admin: AIOKafkaAdminClient, specs: Sequence[TopicSpec]) -> list[str]:
    brokers = len((await admin.describe_cluster())["brokers"])
    replication = max(1, min(MAX_REPLICATION, brokers))
    response = await admin.create_topics(
        [
            NewTopic(
                spec.name,
                num_partitions=spec.partitions,
                replication_factor=replication,
                topic_configs=topic_configs(spec),
            )
            for spec in specs
        ]
    )
    created: list[str] = []
    for error in response.to_object()["topic_errors"]:
        name, code = error["topic"], error["error_code"]
        if code == 0:
            created.append(name)
            continue
        failure = for_code(code)
        if failure is TopicAlreadyExistsError:
            continue  # another replica (or an operator) created it meanwhile: fine
        message = error.get("error_message") or failure.__name__
        if failure.retriable:
            raise failure(f"{name}: {message}")
        raise ProvisioningFailed(f"topic {name} not created: {message} ({failure.__name__})")
    return created


async def _wait_for_leaders(admin: AIOKafkaAdminClient, names: Sequence[str]) -> None:
    waiting = set(names)
    while waiting:
        described: list[dict[str, Any]] = await admin.describe_topics()
        for topic in described:
            partitions = topic["partitions"]
            if (
                topic["topic"] in waiting
                and not topic["error_code"]
                and partitions
                and all(p["leader"] >= 0 for p in partitions)
            ):
                waiting.discard(topic["topic"])
        if waiting:
            await asyncio.sleep(0.1)
