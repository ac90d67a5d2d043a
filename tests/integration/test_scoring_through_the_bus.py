"""Property: an event stream shuffled and duplicated, carried by the real broker (over several
partitions, so Kafka reorders it too) and applied to scoring's fact store on real PostgreSQL,
proposes exactly the awards of the same stream applied once, in order."""

import asyncio
from datetime import timedelta
from typing import Any
from uuid import uuid4

from hypothesis import given
from hypothesis import strategies as st

from services.scoring.tables import messaging
from shared.contracts import EVENT_TYPES
from shared.messaging.cloudevents import Envelope, from_record, header_map, to_record
from shared.messaging.outbox import Outbox
from tests.support.databases import DatabaseFactory
from tests.support.infrastructure import create_topic
from tests.support.kafka_probe import produce, read_topic
from tests.support.properties import slow_examples
from tests.support.scoring_awards import (
    CLOSE,
    TREE,
    author_events,
    authors_before_the_close,
    close_phase,
    receive,
    scoring_database,
)
from tests.support.scoring_awards import (
    awards as awards_of,
)

STREAM: list[Envelope[Any]] = [
    *TREE,
    *authors_before_the_close("B", 6),
    *author_events("AFTER", "PVCFC", CLOSE + timedelta(hours=2)),
]

OUTBOX = Outbox(messaging.outbox)


async def awards_after(
    stream: list[Envelope[Any]], close_at: int, kafka: str | None, postgres: str
) -> dict[str, str]:
    """Apply `stream` (through a fresh topic when `kafka` is given), the close arriving after
    `close_at` events, to a fresh scoring database; the awards proposed."""
    if kafka is not None:
        # Three partitions: the stream comes back interleaved, as from a real topic.
        topic = await create_topic(kafka, f"thidua.test-stream-{uuid4().hex[:8]}.v1", 3)
        records = [to_record(e) for e in stream]
        await produce(kafka, topic, [(r.key, r.value, r.headers) for r in records])
        delivered = await read_topic(kafka, topic, until=lambda rs: len(rs) >= len(records))
        stream = [
            e
            for e in (from_record(header_map(r.headers), r.value, EVENT_TYPES) for r in delivered)
            if e is not None
        ]
    databases = DatabaseFactory(postgres)
    try:
        async with scoring_database(databases) as sessions:
            await receive(sessions, stream[:close_at])
            await close_phase(sessions)
            await receive(sessions, stream[close_at:])
            return await awards_of(sessions)
    finally:
        await databases.drop_all()


def test_in_order_the_stream_awards_the_members_recognised_before_the_close(
    kafka: str, postgres: str
) -> None:
    expected = asyncio.run(awards_after(STREAM, len(STREAM), None, postgres))
    assert set(expected) == {f"B{n}" for n in range(6)}


@slow_examples(5)
@given(
    order=st.permutations(range(len(STREAM))),
    repeats=st.lists(st.integers(0, len(STREAM) - 1), max_size=6),
    close_at=st.integers(0, len(STREAM)),
)
def test_shuffled_and_duplicated_through_the_broker_the_awards_are_the_same(
    kafka: str, postgres: str, order: list[int], repeats: list[int], close_at: int
) -> None:
    stream = [STREAM[i] for i in order] + [STREAM[i] for i in repeats]
    expected = asyncio.run(awards_after(STREAM, len(STREAM), None, postgres))
    assert asyncio.run(awards_after(stream, close_at, kafka, postgres)) == expected
