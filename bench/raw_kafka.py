"""The baseline the benchmarks measure against: consuming records with a bare aiokafka client."""

import time
from uuid import uuid4

from aiokafka import AIOKafkaConsumer


async def raw_consume(bootstrap: str, topics: list[str], count: int, *, commit: bool) -> float:
    """Records per second, reading `count` records of `topics` from the start in a new group
    (committing after each poll when `commit`, as the services do after each batch)."""
    consumer = AIOKafkaConsumer(
        *topics,
        bootstrap_servers=bootstrap,
        group_id=f"bench-raw-{uuid4().hex[:6]}",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    started, seen = time.perf_counter(), 0
    try:
        while seen < count:
            for batch in (await consumer.getmany(timeout_ms=500)).values():
                seen += len(batch)
            if commit:
                await consumer.commit()
    finally:
        await consumer.stop()
    return count / (time.perf_counter() - started)
