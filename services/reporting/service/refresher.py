"""Keeps the materialised progress and the business gauges up to date, every few seconds.

At national size a refresh is seconds of Python; run on the service's event loop it held up
the API and the consumer (p95 of the dashboard's calls 150-600 ms while events streamed). So on
PostgreSQL the refresher is a process of its own, on the other core, writing the same tables;
the service only watches `refresh_state` to move its gauges. On SQLite (the one-command local
run) it stays in the service: a second writing process would contend for the file's lock.
Which is a setting, `ReportingSettings.progress_refresher`, whose default says the same.
"""

import asyncio
import logging
import multiprocessing
import os
import time
from datetime import datetime
from multiprocessing.process import BaseProcess
from typing import Any

from prometheus_client import CollectorRegistry, Histogram
from sqlalchemy import select
from sqlalchemy.ext.asyncio import async_sessionmaker

from services.reporting.config import ReportingSettings
from services.reporting.queries import CampaignFiles
from services.reporting.service.business_metrics import BusinessGauges
from services.reporting.service.progress import WrittenStandings, refresh
from services.reporting.tables import Core
from shared.clock import Clock, today
from shared.db import create_engine, session_factory
from shared.logs import configure_logging

log = logging.getLogger(__name__)

# A round of refreshes is followed by a pause of at least this many times its duration, so
# that recomputing never takes more than a fifth of the time of the process that does it.
PACING = 4


class ProgressRefresher:
    """The service's worker that keeps the progress figures and the business gauges fresh;
    made in `bootstrap.define`, with its state (what it has written, what it has seen)."""

    def __init__(
        self,
        registry: CollectorRegistry,
        settings: ReportingSettings,
        files: CampaignFiles | None = None,
    ) -> None:
        self.settings = settings
        self.files = files or CampaignFiles()
        self.gauges = BusinessGauges.create(registry)
        self.durations = Histogram(
            "reporting_progress_refresh_seconds",
            "Time to recompute one phase's targets and league table.",
            registry=registry,
            buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
        )
        self.written = WrittenStandings()  # used when it refreshes in the service
        self.seen: dict[tuple[str, str], datetime] = {}

    async def __call__(self, sessions: async_sessionmaker[Any], clock: Clock) -> None:
        settings = self.settings
        apart = settings.progress_refresher == "process"
        process: BaseProcess | None = None
        try:
            while True:
                started = time.perf_counter()
                try:
                    if apart:
                        process = _supervised(process, settings, clock)
                    else:
                        await refresh_all(sessions, clock, self.written, self.files)
                    if await _observe(sessions, self.seen, self.durations) or not self.seen:
                        async with sessions() as session:
                            await self.gauges.update(session)
                except Exception:  # the next round retries; the API computes on demand meanwhile
                    log.exception("could not refresh the progress figures")
                busy = time.perf_counter() - started
                await asyncio.sleep(max(settings.progress_refresh_seconds, PACING * busy))
        finally:
            if process is not None:
                process.terminate()
                await asyncio.to_thread(process.join, 5)


async def _observe(
    sessions: async_sessionmaker[Any],
    seen: dict[tuple[str, str], datetime],
    durations: Histogram,
) -> bool:
    """Record the refreshes done since the last look (by whichever process); any?"""
    async with sessions() as session:
        rows = await session.execute(
            select(
                Core.refresh_state.c.campaign_code,
                Core.refresh_state.c.phase_code,
                Core.refresh_state.c.computed_at,
                Core.refresh_state.c.seconds,
            )
        )
        new = False
        for campaign_code, phase_code, computed_at, seconds in rows:
            if seen.get((campaign_code, phase_code)) != computed_at:
                seen[campaign_code, phase_code] = computed_at
                durations.observe(seconds)
                new = True
    return new


def _supervised(
    process: BaseProcess | None, settings: ReportingSettings, clock: Clock
) -> BaseProcess:
    if process is not None and process.is_alive():
        return process
    if process is not None:
        log.warning("the progress refresher exited (code %s): starting it again", process.exitcode)
    # spawn, not fork: a copy of a running event loop, engine and Kafka clients is no start.
    # The clock goes as a copy: a shifted clock runs on in the child as in the service (its
    # origin is the machine's monotonic clock); a fixed one stays where it was at the start.
    child = multiprocessing.get_context("spawn").Process(
        target=refresh_forever,
        args=(
            settings.database_url,
            settings.progress_refresh_seconds,
            settings.log_level,
            clock,
            os.getpid(),
        ),
        name="reporting-refresher",
        daemon=True,
    )
    child.start()
    return child


def refresh_forever(
    database_url: str, interval: float, log_level: str, clock: Clock, parent: int
) -> None:
    """The refresher process: refresh, pause, again — until its parent (the service, `parent`
    its pid) is gone. The pid is given, not read here: a service killed while this process was
    still starting (a second or two of imports) left it reading the pid it was handed over to,
    and it refreshed for ever, an orphan (the suite's restart tests left one behind)."""
    configure_logging("reporting-refresher", log_level)

    async def loop() -> None:
        engine = create_engine(database_url)
        sessions = session_factory(engine)
        written = WrittenStandings()
        files = CampaignFiles()
        try:
            while os.getppid() == parent:  # a parent killed hard leaves no orphan behind
                started = time.perf_counter()
                try:
                    await refresh_all(sessions, clock, written, files)
                except Exception:
                    log.exception("could not refresh the progress figures")
                busy = time.perf_counter() - started
                await asyncio.sleep(max(interval, PACING * busy))
        finally:
            await engine.dispose()

    asyncio.run(loop())


async def refresh_all(
    sessions: async_sessionmaker[Any],
    clock: Clock,
    written: WrittenStandings | None = None,
    files: CampaignFiles | None = None,
) -> int:
    """Every phase of every campaign whose inputs changed (or whose day changed on the
    campaign's clock); how many were recomputed. A campaign that fails is logged and the others
    are refreshed still. `written`: what the caller wrote before (none: the standings are read
    back); `files`: the caller's campaign files (none: each is read and validated again)."""
    written = written or WrittenStandings()
    files = files or CampaignFiles()
    done = 0
    async with sessions() as session:
        plans = await files.readable(session)
    for plan in plans:
        try:
            for phase in plan.phases:
                async with sessions() as session:
                    if await refresh(session, plan, phase.code, today(clock), clock.now(), written):
                        await session.commit()
                        written.committed((plan.code, phase.code))
                        done += 1
        except Exception:
            # One campaign that cannot be computed (a figure its tables refuse) must not leave
            # every later one stale; it is retried next round, its phase's rows read back.
            log.exception(
                "could not refresh campaign %s", plan.code, extra={"campaign_code": plan.code}
            )
    return done
