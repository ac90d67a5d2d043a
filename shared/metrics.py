"""Prometheus metrics every service exposes, on the service's own registry.

Names follow `<service>_<noun>_<unit>`; faststream's Prometheus middleware adds the
transport's own metrics (`faststream_*`) to the same registry.
"""

from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Counter, Gauge


@dataclass(frozen=True)
class _ServiceMetrics:
    """Makes one service's metrics: named after the service, on its registry."""

    service: str
    registry: CollectorRegistry

    def counter(self, name: str, documentation: str, *labels: str) -> Counter:
        return Counter(f"{self.service}_{name}", documentation, labels, registry=self.registry)

    def gauge(self, name: str, documentation: str, *labels: str) -> Gauge:
        return Gauge(f"{self.service}_{name}", documentation, labels, registry=self.registry)


@dataclass(frozen=True)
class MessagingMetrics:
    events_processed: Counter
    events_duplicate: Counter
    events_dead_lettered: Counter
    events_refused: Counter
    events_retried: Counter
    outbox_published: Counter
    outbox_publish_failures: Counter
    outbox_pending: Gauge

    @classmethod
    def create(cls, service: str, registry: CollectorRegistry) -> "MessagingMetrics":
        metrics = _ServiceMetrics(service, registry)
        return cls(
            events_processed=metrics.counter(
                "events_processed_total",
                "Events applied by this service, once each.",
                "topic",
                "event_type",
            ),
            events_duplicate=metrics.counter(
                "events_duplicate_total",
                "Events delivered again and skipped because they were already applied.",
                "topic",
                "event_type",
            ),
            events_dead_lettered=metrics.counter(
                "events_dead_lettered_total",
                "Records parked on the dead-letter topic: malformed, or refused by the "
                "database or the handler (events_refused_total says with which error).",
                "topic",
            ),
            events_refused=metrics.counter(
                "events_refused_total",
                "Well-formed events the database or the handler refused, parked on the "
                "dead-letter topic, by the error's class.",
                "topic",
                "error_class",
            ),
            events_retried=metrics.counter(
                "events_retried_total",
                "Batches whose transaction failed and were tried again, by kind of failure "
                "(transient: until it passes; unknown: a few times, then parked).",
                "failure",
            ),
            outbox_published=metrics.counter(
                "outbox_published_total",
                "Events the outbox relay published and the broker acknowledged.",
                "topic",
            ),
            outbox_publish_failures=metrics.counter(
                "outbox_publish_failures_total",
                "Failed attempts to publish an outbox batch (retried).",
            ),
            outbox_pending=metrics.gauge(
                "outbox_pending_messages",
                "Outbox rows written but not yet acknowledged by the broker.",
            ),
        )


@dataclass(frozen=True)
class LagMetrics:
    """How far the service's consumer group is behind, per topic (shared.messaging.lag), and
    when that was last measured: while measuring fails the two gauges keep their last values,
    and only the timestamp tells they are stale (alert ThiDuaConsumerLagStale)."""

    messages: Gauge
    seconds: Gauge
    measured: Gauge

    @classmethod
    def create(cls, service: str, registry: CollectorRegistry) -> "LagMetrics":
        metrics = _ServiceMetrics(service, registry)

        def per_topic(name: str, documentation: str) -> Gauge:
            return metrics.gauge(name, documentation, "topic")

        return cls(
            messages=per_topic(
                "consumer_lag_messages",
                "Records on the topic not yet applied (committed) by this service's group.",
            ),
            seconds=per_topic(
                "consumer_lag_seconds",
                "Age of the oldest record on the topic not yet applied; 0 when caught up.",
            ),
            measured=per_topic(
                "consumer_lag_measured_timestamp_seconds",
                "Unix time of the last successful measurement of the topic's lag.",
            ),
        )
