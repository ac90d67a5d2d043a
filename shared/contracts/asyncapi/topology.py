"""Channels (the declared topics, with their Kafka bindings) and operations (who sends, and
which consumer group receives what, from the services' own wiring)."""

from typing import Any

from shared.contracts.asyncapi.schemas import KAFKA_BINDING, ref
from shared.contracts.asyncapi.wiring import ServiceWiring
from shared.contracts.base import EventData
from shared.contracts.catalogue import CONTRACTS
from shared.contracts.topics import DEAD_LETTER_TOPICS, EVENT_TOPICS, TopicSpec


def channel_id(topic: str) -> str:
    """`thidua.initiatives.v1` → `initiatives_v1` (channel ids allow no dots)."""
    return topic.removeprefix("thidua.").replace(".", "_")


def kafka_channel(spec: TopicSpec) -> dict[str, Any]:
    return {
        "kafka": {
            "topic": spec.name,
            "partitions": spec.partitions,
            "topicConfiguration": {
                "cleanup.policy": [spec.cleanup_policy],
                "retention.ms": spec.retention_ms,
            },
            "bindingVersion": KAFKA_BINDING,
        }
    }


def contracts_on(topic: str) -> list[type[EventData]]:
    return [contract for contract in CONTRACTS if contract.topic == topic]


def operations(wired: tuple[ServiceWiring, ...]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for spec in EVENT_TOPICS:
        channel = channel_id(spec.name)
        result[f"{spec.producer}_sends_{channel}"] = send(
            channel,
            f"{spec.producer} publishes {spec.name}",
            f"{spec.producer} publishes through its transactional outbox: the event is written "
            "in the transaction of the change it announces, then relayed in order by an "
            "idempotent producer (acks=all).",
            [c.__name__ for c in contracts_on(spec.name)],
        )
        for service in wired:
            consumed = [c for c in service.consumes if c.topic == spec.name]
            if consumed:
                result[f"{service.name}_receives_{channel}"] = receive(service, channel, consumed)
    for spec in DEAD_LETTER_TOPICS:
        channel = channel_id(spec.name)
        result[f"{spec.producer}_parks_{channel}"] = send(
            channel,
            f"{spec.producer} parks what it cannot apply",
            "A record that is not a valid Thi Đua CloudEvent, or that the database or the "
            "handler refused for good, is copied here and consumption goes on.",
            ["DeadLetter"],
        )
    return result


def send(channel: str, title: str, summary: str, messages: list[str]) -> dict[str, Any]:
    return {
        "action": "send",
        "channel": ref(f"#/channels/{channel}"),
        "title": title,
        "summary": summary,
        "messages": _messages(channel, messages),
    }


def receive(
    service: ServiceWiring, channel: str, consumed: list[type[EventData]]
) -> dict[str, Any]:
    return {
        "action": "receive",
        "channel": ref(f"#/channels/{channel}"),
        "title": f"{service.name} applies {', '.join(c.__name__ for c in consumed)}",
        "summary": f"{service.title}: {service.description} Applied in batches, each event "
        "once (its id kept in the same transaction as its effect); the offsets committed after.",
        "bindings": {
            "kafka": {
                "groupId": {"type": "string", "const": service.group_id},
                "bindingVersion": KAFKA_BINDING,
            }
        },
        "messages": _messages(channel, [c.__name__ for c in consumed]),
    }


def _messages(channel: str, names: list[str]) -> list[dict[str, Any]]:
    return [ref(f"#/channels/{channel}/messages/{name}") for name in names]


def channels() -> dict[str, Any]:
    result: dict[str, Any] = {}
    for spec in EVENT_TOPICS:
        result[channel_id(spec.name)] = {
            "address": spec.name,
            "title": spec.name,
            "description": f"{spec.description} Produced by {spec.producer}; key: {spec.key}.",
            "messages": {
                c.__name__: ref(f"#/components/messages/{c.__name__}")
                for c in contracts_on(spec.name)
            },
            "bindings": kafka_channel(spec),
        }
    for spec in DEAD_LETTER_TOPICS:
        result[channel_id(spec.name)] = {
            "address": spec.name,
            "title": spec.name,
            "description": f"{spec.description} Key: {spec.key}. Kept "
            f"{spec.retention_ms // 86_400_000} days.",
            "messages": {"DeadLetter": ref("#/components/messages/DeadLetter")},
            "bindings": kafka_channel(spec),
        }
    return result
