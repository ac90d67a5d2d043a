"""An event id is one fact's (CloudEvents: unique per event). A record of another type under
an id already applied was skipped as a duplicate without a word: a fact never applied, and
no trace of it. It is now parked with the reason, and consumption goes on; a true redelivery
(the same type) is still skipped."""

from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any
from uuid import uuid4

import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from services.reporting.handlers import initiative as project_initiative
from shared.contracts import InitiativeSubmitted, InitiativeWithdrawn
from shared.messaging.cloudevents import Envelope, new_envelope
from shared.messaging.consumer import EventConsumer, Subscription
from tests.support.databases import DatabaseFactory
from tests.support.kafka_probe import headers_of, read_topic
from tests.support.reporting_consumer import count_for, incoming, reporting_consumer, submitted
from tests.unit.event_examples import EXAMPLES

withdrawals: list[Envelope[Any]] = []


async def _withdrawn(event: Envelope[Any], session: AsyncSession) -> None:
    withdrawals.append(event)


@pytest.fixture
async def consumer(kafka: str, databases: DatabaseFactory) -> AsyncIterator[EventConsumer]:
    withdrawals.clear()
    async with reporting_consumer(
        kafka, databases, project_initiative, Subscription(InitiativeWithdrawn, _withdrawn)
    ) as consumer:
        yield consumer


def _withdrawal_under(envelope: Envelope[Any]) -> Envelope[Any]:
    """A withdrawal of another initiative, given `envelope`'s id."""
    withdrawal = EXAMPLES[InitiativeWithdrawn]().model_copy(update={"initiative_id": uuid4()})
    return replace(new_envelope(withdrawal, source="/elsewhere", subject="s"), id=envelope.id)


async def _reasons(kafka: str, consumer: EventConsumer, count: int) -> list[str]:
    parked = await read_topic(kafka, consumer._dead_letters.topic, until=lambda r: len(r) >= count)
    return [headers_of(record)["dlq_reason"] for record in parked]


async def test_another_type_under_an_applied_id_is_parked_and_the_next_applied(
    kafka: str, consumer: EventConsumer
) -> None:
    first = new_envelope(submitted("PVGAS-A", 100), source="/t", subject="s")
    after = new_envelope(submitted("PVGAS-B", 200), source="/t", subject="s")
    await consumer.consume(incoming(first, offset=1))
    await consumer.consume_batch(
        [incoming(_withdrawal_under(first), offset=2), incoming(after, offset=3)]
    )

    assert withdrawals == []
    assert await count_for(consumer, "PVGAS-B") == (1, 200)
    [reason] = await _reasons(kafka, consumer, 1)
    assert reason == (
        f"event id {first.id} was already used by a {InitiativeSubmitted.event_type} event: "
        f"this {InitiativeWithdrawn.event_type} event is another fact under a used id"
    )


async def test_two_types_under_one_id_in_a_batch_the_first_applied_the_other_parked(
    kafka: str, consumer: EventConsumer
) -> None:
    first = new_envelope(submitted("PVGAS-C", 300), source="/t", subject="s")
    await consumer.consume_batch(
        [incoming(first, offset=1), incoming(_withdrawal_under(first), offset=2)]
    )

    assert await count_for(consumer, "PVGAS-C") == (1, 300)
    assert withdrawals == []
    [reason] = await _reasons(kafka, consumer, 1)
    assert reason.startswith(f"event id {first.id} was already used by")


async def test_a_redelivery_of_the_same_event_is_still_skipped_quietly(
    kafka: str, consumer: EventConsumer
) -> None:
    first = new_envelope(submitted("PVGAS-D", 400), source="/t", subject="s")
    await consumer.consume(incoming(first, offset=1))
    await consumer.consume(incoming(first, offset=2))
    assert await count_for(consumer, "PVGAS-D") == (1, 400)
    assert consumer._metrics.events_dead_lettered.labels(topic=first.topic)._value.get() == 0
