"""Prometheus metrics every service exposes, on the service's own registry.

Names follow `<service>_<noun>_<unit>`; faststream's Prometheus middleware adds the
transport's own metrics (`faststream_*`) to the same registry.
"""

from dataclasses import dataclass
from typing import Annotated, NamedTuple, Self, get_args, get_type_hints

from prometheus_client import CollectorRegistry, Counter, Gauge


class _Metric(NamedTuple):
    """What a field of a service's metrics is made as: `<service>_<name>`, with its help text
    and labels; a Counter or a Gauge as the field is annotated (`Annotated[Counter, _Metric]`)."""

    name: str
    documentation: str
    labels: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Metrics:
    """A service's set of metrics, each declared once: a field with its `_Metric`."""

    @classmethod
    def create(cls, service: str, registry: CollectorRegistry) -> Self:
        """Every field's metric, named after the service, on its registry."""
        made: dict[str, Counter | Gauge] = {}
        for attribute, hint in get_type_hints(cls, include_extras=True).items():
            match get_args(hint):
                case [type() as kind, _Metric() as metric] if kind in (Counter, Gauge):
                    made[attribute] = kind(
                        f"{service}_{metric.name}",
                        metric.documentation,
                        metric.labels,
                        registry=registry,
                    )
                case _:
                    raise TypeError(f"{cls.__name__}.{attribute}: not a Counter or Gauge _Metric")
        return cls(**made)


@dataclass(frozen=True)
class MessagingMetrics(_Metrics):
    events_processed: Annotated[
        Counter,
        _Metric(
            "events_processed_total",
            "Events applied by this service, once each.",
            ("topic", "event_type"),
        ),
    ]
    events_duplicate: Annotated[
        Counter,
        _Metric(
            "events_duplicate_total",
            "Events delivered again and skipped because they were already applied.",
            ("topic", "event_type"),
        ),
    ]
    events_dead_lettered: Annotated[
        Counter,
        _Metric(
            "events_dead_lettered_total",
            "Records parked on the dead-letter topic: malformed, or refused by the "
            "database or the handler (events_refused_total says with which error).",
            ("topic",),
        ),
    ]
    events_refused: Annotated[
        Counter,
        _Metric(
            "events_refused_total",
            "Well-formed events the database or the handler refused, parked on the "
            "dead-letter topic, by the error's class.",
            ("topic", "error_class"),
        ),
    ]
    events_retried: Annotated[
        Counter,
        _Metric(
            "events_retried_total",
            "Batches whose transaction failed and were tried again, by kind of failure "
            "(transient: until it passes; unknown: a few times, then parked).",
            ("failure",),
        ),
    ]
    outbox_published: Annotated[
        Counter,
        _Metric(
            "outbox_published_total",
            "Events the outbox relay published and the broker acknowledged.",
            ("topic",),
        ),
    ]
    outbox_publish_failures: Annotated[
        Counter,
        _Metric(
            "outbox_publish_failures_total", "Failed attempts to publish an outbox batch (retried)."
        ),
    ]
    outbox_pending: Annotated[
        Gauge,
        _Metric(
            "outbox_pending_messages", "Outbox rows written but not yet acknowledged by the broker."
        ),
    ]


@dataclass(frozen=True)
class LagMetrics(_Metrics):
    """How far the service's consumer group is behind, per topic (shared.messaging.lag), and
    when that was last measured: while measuring fails the two gauges keep their last values,
    and only the timestamp tells they are stale (alert ThiDuaConsumerLagStale)."""

    messages: Annotated[
        Gauge,
        _Metric(
            "consumer_lag_messages",
            "Records on the topic not yet applied (committed) by this service's group.",
            ("topic",),
        ),
    ]
    seconds: Annotated[
        Gauge,
        _Metric(
            "consumer_lag_seconds",
            "Age of the oldest record on the topic not yet applied; 0 when caught up.",
            ("topic",),
        ),
    ]
    measured: Annotated[
        Gauge,
        _Metric(
            "consumer_lag_measured_timestamp_seconds",
            "Unix time of the last successful measurement of the topic's lag.",
            ("topic",),
        ),
    ]
