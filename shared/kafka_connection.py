"""The service's Kafka side: faststream broker for consuming, a producer for the outbox and
dead letters. It connects in the background and keeps retrying, so the HTTP API (and its
outbox) works while Kafka is still starting, and /ready says 503 until Kafka answers."""

import asyncio
import dataclasses
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Literal

from aiokafka import AIOKafkaProducer, ConsumerRecord
from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage
from faststream.kafka.prometheus import KafkaPrometheusMiddleware
from faststream.message import StreamMessage
from prometheus_client import CollectorRegistry

from shared.contracts.topics import TopicSpec
from shared.messaging.cloudevents import header_text
from shared.messaging.consumer import EventConsumer
from shared.messaging.dead_letters import IncomingRecord
from shared.messaging.header_names import tolerate_undecodable_header_names
from shared.messaging.producer import create_dead_letter_producer, create_producer
from shared.messaging.provisioning import ProvisioningFailed, provision_topics
from shared.messaging.stopping import stop_quietly

log = logging.getLogger(__name__)


def _undecoded(message: StreamMessage[Any]) -> Any:
    # Decoding is ours (shared.messaging.cloudevents): a body that is not JSON must reach the
    # consumer, which dead-letters it, instead of failing (forever) in faststream's decoder.
    return message.body


async def _tolerant_parser(
    records: tuple[ConsumerRecord[bytes, bytes], ...],
    parse: Callable[[tuple[ConsumerRecord[bytes, bytes], ...]], Awaitable[StreamMessage[Any]]],
) -> StreamMessage[Any]:
    # faststream decodes every header as UTF-8 and would fail (and retry forever) on one
    # that is not, or on a null one (Kafka allows a header without a value); such a record
    # must instead reach our consumer, which dead-letters it. Tried as it is first: the
    # headers of nearly every poll are UTF-8, and looking at each of them here as well as in
    # faststream cost a microsecond a record.
    try:
        return await parse(records)
    except (UnicodeDecodeError, AttributeError):
        return await parse(tuple(_with_text_headers(record) for record in records))


def _with_text_headers(record: ConsumerRecord[bytes, bytes]) -> ConsumerRecord[bytes, bytes]:
    headers = tuple(record.headers or ())
    try:
        for _, value in headers:
            value.decode()
    except (UnicodeDecodeError, AttributeError):
        fixed = tuple((k, header_text(v).encode()) for k, v in headers)
        return dataclasses.replace(record, headers=fixed)
    return record


class KafkaConnection:
    def __init__(
        self,
        service: str,
        bootstrap_servers: str,
        registry: CollectorRegistry,
        *,
        topics: Sequence[TopicSpec] = (),
    ) -> None:
        self.service = service
        self._bootstrap_servers = bootstrap_servers
        # A header name that is not UTF-8 failed aiokafka's fetch for good, before our parser
        # (below) could see the record: every consumer of the process reads it now.
        tolerate_undecodable_header_names()
        # Created (where missing) before the consumer starts: the brokers create no topic on
        # first use, and a consumer subscribed to a missing topic would only notice it once
        # its metadata is refreshed, minutes later.
        self._topics = tuple(topics)
        self.broker = KafkaBroker(
            bootstrap_servers,
            client_id=service,
            middlewares=[KafkaPrometheusMiddleware(registry=registry, app_name=service)],
            logger=logging.getLogger(f"{service}.faststream"),
            # Per-message "Received"/"Processed" lines at DEBUG: our consumer logs each
            # event it applies, with its event and correlation ids.
            log_level=logging.DEBUG,
        )
        self.producer: AIOKafkaProducer = create_producer(bootstrap_servers, f"{service}-outbox")
        self.dead_letter_producer: AIOKafkaProducer = create_dead_letter_producer(
            bootstrap_servers, f"{service}-dead-letters"
        )
        self.connected = False

    def subscribe(
        self,
        consumer: EventConsumer,
        *,
        auto_offset_reset: Literal["earliest", "latest", "none"],
        group_id: str,
    ) -> None:
        """One consumer group per service (its name unless configured), reading all the
        topics it handles.

        Replicas of a service join the same group and share its topics' partitions; when one
        joins or leaves (or is killed, and its session times out) the group rebalances. A
        rebalance can revoke a partition while a poll of it is being applied. A poll is
        applied in slices, one transaction each, and each transaction records its events' ids
        in processed_events with its effects; the poll's offsets are committed only after its
        last slice, and a replica that no longer owns the partition cannot commit them (the
        coordinator refuses a commit from an old generation). So the new owner starts from the
        last committed offset and receives the poll again; the ids already recorded are
        skipped: nothing is lost (offsets never run ahead of the database) and nothing is
        applied twice (the ids are in the same transaction as the effects). The old owner may
        still be applying slices of the poll when the new one starts it (a rebalance does not
        wait for a handler). Each transaction records its ids first, with ON CONFLICT DO
        NOTHING: an id the other is recording at that moment waits for it, and is then
        skipped if the other committed, or recorded and applied if it rolled back; neither
        refuses the other's batch, so nothing is dead-lettered for it. One aggregate's events
        share a record key, hence a partition, hence one replica at a time, in order.
        tests/e2e/test_replicas.py kills a replica mid-stream."""
        if not consumer.topics:
            return

        @self.broker.subscriber(
            *consumer.topics,
            group_id=group_id,
            auto_offset_reset=auto_offset_reset,
            # A poll is one offset commit, after its slices' transactions (consumer.py).
            batch=True,
            max_records=500,
            ack_policy=AckPolicy.NACK_ON_ERROR,
            parser=_tolerant_parser,
            decoder=_undecoded,
            title=f"{self.service}: events it applies",
        )
        async def on_batch(message: KafkaMessage) -> None:
            records = message.raw_message
            assert isinstance(records, tuple)  # a batch subscriber gets a tuple of records
            await consumer.consume_batch(
                [
                    IncomingRecord(
                        topic=r.topic,
                        partition=r.partition,
                        offset=r.offset,
                        key=r.key,
                        value=r.value or b"",
                        headers=tuple(r.headers or ()),
                    )
                    for r in records
                ]
            )

    async def connect(self, on_connected: Callable[[], Awaitable[None]]) -> None:
        """Create the declared topics that are missing, start the producer and the broker,
        retrying until Kafka answers."""
        delay, provisioned = 0.5, not self._topics
        producers = [self.producer, self.dead_letter_producer]
        while not self.connected:
            try:
                if not provisioned:
                    await self._provision()
                    provisioned = True
                while producers:  # each started once, however often Kafka is not there yet
                    await producers[0].start()
                    producers.pop(0)
                await self.broker.start()
                self.connected = True
            except Exception as error:
                log.warning("Kafka not reachable yet: %s; retrying in %.1fs", error, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 10.0)
        await on_connected()

    async def _provision(self) -> None:
        try:
            async with asyncio.timeout(30):
                await provision_topics(
                    self._bootstrap_servers, self._topics, client_id=f"{self.service}-topics"
                )
        except ProvisioningFailed as refused:
            # Not ours to create here (a cluster whose operator manages its topics, without
            # granting us CreateTopics): the consumer starts on those that exist.
            log.error("topics not provisioned: %s", refused)

    async def close(self) -> None:
        await self._stop_quietly()
        self.connected = False

    async def _stop_quietly(self) -> None:
        await stop_quietly(
            log,
            "ignored error while stopping",
            self.broker.stop,
            self.producer.stop,
            self.dead_letter_producer.stop,
        )
