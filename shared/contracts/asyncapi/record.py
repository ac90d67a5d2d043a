"""Record the document's examples from a real run: one real event of every type.

    python -m shared.contracts.asyncapi.record --bootstrap 127.0.0.1:9092

Reads every event topic of a broker that a real run filled (`make run`, with the demo year)
from its beginning to where it ended when the recording started, and keeps, for each
CloudEvents type, the record whose data says the most (the most fields present; the earliest
of equals), as it was on the wire: topic, key, headers, value. Types the run did not produce
keep the example an earlier recording had. The examples are written to `examples.json`
beside this module, which the generator reads: examples are events the code really sent,
never typed by hand.
"""

import argparse
import asyncio
import json
from typing import Any

from aiokafka import AIOKafkaConsumer

from shared.contracts.asyncapi.examples import EXAMPLES_FILE, RecordedEvent, load_examples
from shared.contracts.catalogue import EVENT_TYPES
from shared.contracts.topics import EVENT_TOPICS
from shared.messaging.cloudevents import header_map


def richness(value: Any) -> int:
    """How much a payload says: its fields present and not empty, counted through nesting."""
    if isinstance(value, dict):
        return sum(1 + richness(item) for item in value.values() if item not in (None, "", [], {}))
    if isinstance(value, list):
        return sum(richness(item) for item in value[:3])
    return 0


async def read_topics(bootstrap: str) -> list[RecordedEvent]:
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, auto_offset_reset="earliest", enable_auto_commit=False
    )
    await consumer.start()
    try:
        present = await consumer.topics()
        consumer.subscribe([spec.name for spec in EVENT_TOPICS if spec.name in present])
        # No group: every partition is ours once the metadata is in (aiokafka offers no event).
        while not (partitions := consumer.assignment()):  # noqa: ASYNC110
            await asyncio.sleep(0.05)
        ends = await consumer.end_offsets(list(partitions))
        events: list[RecordedEvent] = []
        while [tp for tp in partitions if await consumer.position(tp) < ends[tp]]:
            batches = await consumer.getmany(timeout_ms=1000, max_records=2000)
            for tp, records in sorted(batches.items()):
                events.extend(
                    RecordedEvent(
                        topic=tp.topic,
                        key=(record.key or b"").decode(),
                        headers=header_map(record.headers),
                        value=json.loads(record.value or b"null"),
                    )
                    for record in records
                    if record.offset < ends[tp]
                )
        return events
    finally:
        await consumer.stop()


def choose(events: list[RecordedEvent]) -> dict[str, RecordedEvent]:
    """For each known type, the richest event; max() keeps the first of equals."""
    chosen: dict[str, RecordedEvent] = {}
    for event in events:
        event_type = event.headers.get("ce_type", "")
        if event_type not in EVENT_TYPES:
            continue
        best = chosen.get(event_type)
        if best is None or richness(event.value) > richness(best.value):
            chosen[event_type] = event
    return chosen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bootstrap", default="127.0.0.1:9092")
    arguments = parser.parse_args()
    recorded = choose(asyncio.run(read_topics(arguments.bootstrap)))
    examples = {**load_examples(), **recorded}
    EXAMPLES_FILE.write_text(
        json.dumps(
            {event_type: examples[event_type].as_json() for event_type in sorted(examples)},
            ensure_ascii=False,
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )
    missing = sorted(set(EVENT_TYPES) - set(examples))
    print(f"recorded {len(recorded)} types, {len(examples)} in {EXAMPLES_FILE.name}")
    if missing:
        print("no example yet for: " + ", ".join(missing))


if __name__ == "__main__":
    main()
