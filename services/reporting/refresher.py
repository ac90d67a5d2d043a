"""Keeps the materialised progress and the business gauges up to date, every few seconds."""

import asyncio
import logging
import time
from datetime import datetime
from typing import Any

from prometheus_client import CollectorRegistry, Histogram
from sqlalchemy.ext.asyncio import async_sessionmaker

from services.reporting.business_metrics import BusinessGauges
from services.reporting.progress import campaigns, forget_written, refresh
from shared.formatting import VIETNAM_TIME
from shared.service_app import Worker

log = logging.getLogger(__name__)

# A round of refreshes is followed by a pause of at least this many times its duration, so
# that at national size (a second or more per phase) recomputing never takes more than a
# fifth of the service's time from applying events and answering requests.
PACING = 4


def progress_refresher(registry: CollectorRegistry, interval_seconds: float) -> Worker:
    gauges = BusinessGauges.create(registry)
    durations = Histogram(
        "reporting_progress_refresh_seconds",
        "Time to recompute one phase's targets and league table.",
        registry=registry,
        buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
    )

    async def run(sessions: async_sessionmaker[Any]) -> None:
        first = True
        while True:
            started = time.perf_counter()
            try:
                # The gauges move only when a refresh found something new (and at start).
                if await refresh_all(sessions, durations) or first:
                    async with sessions() as session:
                        await gauges.update(session)
                    first = False
            except Exception:  # the next round retries; the API computes on demand meanwhile
                forget_written()
                log.exception("could not refresh the progress figures")
            busy = time.perf_counter() - started
            await asyncio.sleep(max(interval_seconds, PACING * busy))

    return run


async def refresh_all(sessions: async_sessionmaker[Any], durations: Histogram | None = None) -> int:
    """Every phase of every campaign whose inputs changed; how many were recomputed."""
    done = 0
    async with sessions() as session:
        plans = await campaigns(session)
    for plan in plans:
        for phase in plan.phases:
            async with sessions() as session:
                now = datetime.now(VIETNAM_TIME)
                started = asyncio.get_running_loop().time()
                if await refresh(session, plan, phase.code, now.date(), now):
                    await session.commit()
                    done += 1
                    if durations is not None:
                        durations.observe(asyncio.get_running_loop().time() - started)
    return done
