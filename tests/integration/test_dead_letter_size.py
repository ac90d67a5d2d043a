"""A record too large to copy to the dead-letter topic does not stop its consumer, on real
Kafka: one whose `dlq_*` headers (or a reason quoting it) push the copy over the broker's
message size is parked bare, saying where it stays; a reason is never the record again."""

from uuid import uuid4

from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType

from shared.contracts.topics import dead_letter_topic
from shared.messaging.cloudevents import new_envelope
from shared.messaging.dead_letters import REASON_MAX, DeadLetters, IncomingRecord
from shared.messaging.producer import create_dead_letter_producer
from tests.support.databases import DatabaseFactory
from tests.support.infrastructure import create_topic
from tests.support.kafka_probe import headers_of, read_topic
from tests.support.reporting_consumer import incoming, reporting_consumer
from tests.unit.event_examples import submitted

TOPIC_LIMIT = 20_000  # the dead-letter topic's max.message.bytes in these tests


async def _limit(kafka: str, topic: str) -> None:
    """The topic takes records of TOPIC_LIMIT bytes at most (the broker's default is 1 MB)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka)
    await admin.start()
    try:
        resource = ConfigResource(
            ConfigResourceType.TOPIC, topic, configs={"max.message.bytes": str(TOPIC_LIMIT)}
        )
        await admin.alter_configs([resource])
    finally:
        await admin.close()


async def test_a_record_whose_copy_the_broker_refuses_is_parked_bare(kafka: str) -> None:
    consumer = f"test-{uuid4().hex[:8]}"
    topic = await create_topic(kafka, dead_letter_topic(consumer))
    await _limit(kafka, topic)
    producer = create_dead_letter_producer(kafka, "test-dead-letters")
    await producer.start()
    try:
        near_limit = IncomingRecord(
            "thidua.initiatives.v1",
            2,
            4711,
            b"k",
            b"x" * (TOPIC_LIMIT - 100),  # under the limit, but not with the dlq_* headers
            (("ce_id", b"not-a-uuid"),),
        )
        before = IncomingRecord("thidua.initiatives.v1", 2, 4710, b"k0", b"[]", ())
        small = IncomingRecord("thidua.initiatives.v1", 2, 4712, b"k2", b"{}", ())
        parking = DeadLetters(producer, consumer)

        # One producer, as a service has: one parked before (the producer's sequence on the
        # partition is under way), the one too large, one after.
        await parking.park(before, "value is not JSON", "Malformed")
        await parking.park(near_limit, "ce_id is not a UUID", "Malformed")
        await parking.park(small, "value is not JSON", "Malformed")
    finally:
        await producer.stop()

    first, bare, whole = await read_topic(kafka, topic, until=lambda records: len(records) >= 3)
    assert (first.key, first.value) == (b"k0", b"[]")
    headers = headers_of(bare)
    assert (bare.key, bare.value, "ce_id" in headers) == (None, b"", False)
    assert headers["dlq_reason"].startswith("parked bare, without its key, value and headers")
    assert headers["dlq_reason"].endswith(": ce_id is not a UUID")
    assert f"({near_limit.size} bytes" in headers["dlq_reason"]
    assert (headers["dlq_original_partition"], headers["dlq_original_offset"]) == ("2", "4711")
    # The next one is copied whole, as every record small enough is.
    assert (whole.key, whole.value, headers_of(whole)["dlq_original_offset"]) == (
        b"k2",
        b"{}",
        "4712",
    )


async def test_a_malformed_record_quoted_in_its_reason_is_parked_and_consumption_goes_on(
    kafka: str, databases: DatabaseFactory
) -> None:
    """The black-box case: a `ce_id` of 15,000 characters, quoted whole in the reason, made
    a copy twice the record, which the broker refused for ever (the consumer retried it twice
    a second, and every later record waited)."""

    async def apply(*_: object) -> None:
        return None

    async with reporting_consumer(kafka, databases, apply) as consumer:
        await _limit(kafka, consumer._dead_letters.topic)
        good = incoming(new_envelope(submitted(), source="/t", subject="s"), offset=1)
        headers = tuple(
            (name, b"x" * 15_000 if name == "ce_id" else value) for name, value in good.headers
        )
        hostile = IncomingRecord(good.topic, 0, 0, good.key, good.value, headers)

        await consumer.consume_batch([hostile, good])  # returns: nothing left to retry

        [parked] = await read_topic(
            kafka, consumer._dead_letters.topic, until=lambda r: len(r) >= 1
        )
    reason = headers_of(parked)["dlq_reason"]
    assert reason.startswith("ce_id is not a UUID: 'xxx") and len(reason) == REASON_MAX
    assert parked.value == good.value  # copied whole: the bounded reason left room for it
    processed = consumer._metrics.events_processed.collect()
    assert sum(s.value for m in processed for s in m.samples if s.name.endswith("_total")) == 1
