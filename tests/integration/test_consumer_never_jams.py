"""A consumer on real PostgreSQL and Kafka never jams: a record the database or a handler
refuses is isolated from its batch and parked with the reason and the error's class, the rest
of the batch is applied in order, and consumption goes on; a transient failure is retried."""

from collections.abc import AsyncIterator
from typing import Any
from uuid import uuid4

import pytest
from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from services.reporting.handlers import initiative as project_initiative
from shared.contracts import InitiativeSubmitted
from shared.messaging.cloudevents import Envelope, new_envelope
from shared.messaging.consumer import EventConsumer
from tests.support.databases import DatabaseFactory
from tests.support.kafka_probe import headers_of, read_topic
from tests.support.reporting_consumer import (
    count_for,
    incoming,
    reporting_consumer,
    submitted,
)

POISON = "POISON"  # the unit whose events the handler below cannot apply


async def overflows_for_poison(event: Envelope[Any], session: AsyncSession) -> None:
    """Reporting's projection, except that the poison unit's events hit a bigint overflow in
    PostgreSQL, as a benefit total beyond 2^63 − 1 once did."""
    await project_initiative(event, session)
    if event.data.unit_code == POISON:
        await session.execute(text("SELECT 9223372036854775807::bigint + 1"))


@pytest.fixture
async def consumer(kafka: str, databases: DatabaseFactory) -> AsyncIterator[EventConsumer]:
    async with reporting_consumer(kafka, databases, overflows_for_poison) as consumer:
        yield consumer


async def parked(kafka: str, consumer: EventConsumer, count: int) -> list[Any]:
    return await read_topic(kafka, consumer._dead_letters.topic, until=lambda r: len(r) >= count)


async def test_a_refused_record_is_parked_and_the_rest_of_its_batch_applied(
    kafka: str, consumer: EventConsumer
) -> None:
    unit = f"U-{uuid4().hex[:6]}"
    batch = [new_envelope(submitted(unit, 100 + n), source="/t", subject="s") for n in range(7)]
    poison = new_envelope(submitted(POISON, 1), source="/t", subject="s")
    batch.insert(4, poison)

    # Returns (the offsets are committed): nothing is left to retry.
    await consumer.consume_batch([incoming(e, offset=n) for n, e in enumerate(batch)])

    assert await count_for(consumer, unit) == (7, sum(100 + n for n in range(7)))
    assert await count_for(consumer, POISON) == (0, 0)  # rolled back with its half
    [record] = await parked(kafka, consumer, 1)
    headers = headers_of(record)
    assert headers["ce_id"] == str(poison.id)
    assert headers["dlq_error_class"] == "sqlalchemy.exc.DBAPIError" or headers[
        "dlq_error_class"
    ].endswith("DataError")
    assert "out of range" in headers["dlq_reason"]
    assert headers["dlq_original_offset"] == "4"
    refused = consumer._metrics.events_refused
    assert sum(m.samples[0].value for m in refused.collect() if m.samples) == 1

    # The next batch is applied as usual.
    after = new_envelope(submitted(unit, 1_000), source="/t", subject="s")
    await consumer.consume_batch([incoming(after, offset=9)])
    assert (await count_for(consumer, unit))[0] == 8


async def test_an_unknown_failure_is_tried_a_few_times_then_parked(
    kafka: str, consumer: EventConsumer
) -> None:
    unit = f"U-{uuid4().hex[:6]}"
    good, bad = (new_envelope(submitted(unit, 5), source="/t", subject="s") for _ in range(2))
    calls = 0

    async def bug(event: Envelope[Any], session: AsyncSession) -> None:
        nonlocal calls
        await project_initiative(event, session)
        if event.id == bad.id:
            calls += 1
            raise RuntimeError("a bug in the handler")

    consumer._handlers = {InitiativeSubmitted.event_type: bug}
    await consumer.consume_batch([incoming(bad, offset=0), incoming(good, offset=1)])

    assert await count_for(consumer, unit) == (1, 5)
    assert calls == 3 + 1  # three tries of the batch, then alone once more, then parked
    [record] = await parked(kafka, consumer, 1)
    assert headers_of(record)["dlq_error_class"] == "builtins.RuntimeError"
    assert headers_of(record)["dlq_reason"] == "a bug in the handler"


async def test_a_transient_failure_is_not_parked_but_retried_until_it_passes(
    kafka: str, consumer: EventConsumer
) -> None:
    unit = f"U-{uuid4().hex[:6]}"
    envelope = new_envelope(submitted(unit, 9), source="/t", subject="s")
    failures = 3

    async def database_away(event: Envelope[Any], session: AsyncSession) -> None:
        nonlocal failures
        await project_initiative(event, session)
        if failures:
            failures -= 1
            raise ConnectionResetError("connection reset by peer")

    consumer._handlers = {InitiativeSubmitted.event_type: database_away}
    for _ in range(3):  # each delivery fails, is not committed, and comes again
        with pytest.raises(ConnectionResetError):
            await consumer.consume_batch([incoming(envelope)])
    await consumer.consume_batch([incoming(envelope)])

    assert await count_for(consumer, unit) == (1, 9)
    retried = consumer._metrics.events_retried.labels(failure="transient")._value.get()
    assert retried == 3
    assert consumer._transient_failures == 0  # the pause starts short again
