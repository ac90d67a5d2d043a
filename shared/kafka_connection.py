"""The service's Kafka side: faststream broker for consuming, a producer for the outbox and
dead letters. It connects in the background and keeps retrying, so the HTTP API (and its
outbox) works while Kafka is still starting, and /ready says 503 until Kafka answers."""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Literal

from aiokafka import AIOKafkaProducer
from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage
from faststream.kafka.prometheus import KafkaPrometheusMiddleware
from faststream.message import StreamMessage
from prometheus_client import CollectorRegistry

from shared.messaging.consumer import EventConsumer
from shared.messaging.dead_letters import IncomingRecord
from shared.messaging.producer import create_producer

log = logging.getLogger(__name__)


def _raw_body(message: StreamMessage[object]) -> bytes:
    # Decoding is ours (shared.messaging.cloudevents): a body that is not JSON must reach the
    # consumer, which dead-letters it, instead of failing inside faststream's decoder.
    return message.body


class KafkaConnection:
    def __init__(self, service: str, bootstrap_servers: str, registry: CollectorRegistry) -> None:
        self.service = service
        self.broker = KafkaBroker(
            bootstrap_servers,
            client_id=service,
            middlewares=[KafkaPrometheusMiddleware(registry=registry, app_name=service)],
            logger=logging.getLogger(f"{service}.faststream"),
        )
        self.producer: AIOKafkaProducer = create_producer(bootstrap_servers, f"{service}-outbox")
        self.connected = False

    def subscribe(
        self,
        consumer: EventConsumer,
        *,
        auto_offset_reset: Literal["earliest", "latest", "none"],
    ) -> None:
        """One consumer group per service (its name), reading all the topics it handles."""
        if not consumer.topics:
            return

        @self.broker.subscriber(
            *consumer.topics,
            group_id=self.service,
            auto_offset_reset=auto_offset_reset,
            ack_policy=AckPolicy.NACK_ON_ERROR,
            decoder=_raw_body,
            title=f"{self.service}: events it applies",
        )
        async def on_record(body: bytes, message: KafkaMessage) -> None:
            raw = message.raw_message
            assert not isinstance(raw, tuple)  # one record per call: this is no batch subscriber
            await consumer.consume(
                IncomingRecord(
                    topic=raw.topic,
                    partition=raw.partition,
                    offset=raw.offset,
                    key=raw.key,
                    value=body,
                    headers=tuple(raw.headers or ()),
                )
            )

    async def connect(self, on_connected: Callable[[], Awaitable[None]]) -> None:
        """Start the producer and the broker, retrying until Kafka answers."""
        delay, producer_started = 0.5, False
        while not self.connected:
            try:
                if not producer_started:
                    await self.producer.start()
                    producer_started = True
                await self.broker.start()
                self.connected = True
            except Exception as error:
                log.warning("Kafka not reachable yet: %s; retrying in %.1fs", error, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 10.0)
        await on_connected()

    async def close(self) -> None:
        await self._stop_quietly()
        self.connected = False

    async def _stop_quietly(self) -> None:
        for stop in (self.broker.stop, self.producer.stop):
            try:
                await stop()
            except Exception:
                log.debug("ignored error while stopping", exc_info=True)
