"""The real reporting app for the browser tests: uvicorn in a thread, on a SQLite file whose
read models were filled by reporting's own projection handlers (Kafka unreachable); and what
its JSON API says, which the dashboard page must show."""

import asyncio
import contextlib
import random
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from services.reporting.bootstrap import define
from services.reporting.config import ReportingSettings
from services.reporting.service.refresher import refresh_all
from shared.db import create_engine, session_factory
from shared.messaging.cloudevents import new_envelope
from shared.migrations import upgrade_to_head
from shared.service_app import create_app
from tests.browser.dashboard_events import year_of_events
from tests.support.infrastructure import free_port


async def fill(settings: ReportingSettings) -> None:
    """Reporting's read models as its consumer would leave them, then its materialised
    progress as its refresher would (so that the page and the API read the same rows)."""
    service = define(settings)
    handlers = {s.contract: s.handler for s in service.subscriptions}
    engine = create_engine(settings.database_url)
    sessions = session_factory(engine)
    async with sessions() as session:
        for data in year_of_events(random.Random(2022)):
            envelope = new_envelope(data, source="tests/browser", subject="2022")
            await handlers[type(data)](envelope, session)
        await session.commit()
    await refresh_all(sessions, service.clock)
    await engine.dispose()


@contextlib.contextmanager
def reporting_app(folder: Path) -> Iterator[str]:
    """The app's base URL, serving a year of the 2022 campaign."""
    port = free_port()
    settings = ReportingSettings(
        database_url=f"sqlite+aiosqlite:///{folder / 'reporting.sqlite3'}",
        kafka_bootstrap_servers="127.0.0.1:1",  # nothing listens there: Kafka is unreachable
        http_host="127.0.0.1",
        http_port=port,
    )
    # In a thread of its own: Playwright's sync API may run an event loop in this one, and
    # the migrations start theirs with asyncio.run().
    with ThreadPoolExecutor(1) as worker:
        worker.submit(upgrade_to_head, "services.reporting", settings.database_url).result()
        worker.submit(asyncio.run, fill(settings)).result()
    server = uvicorn.Server(
        uvicorn.Config(create_app(define(settings)), host="127.0.0.1", port=port, log_config=None)
    )
    thread = threading.Thread(target=server.run, name="reporting-uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the reporting app did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def api(base_url: str, phase: str) -> dict[str, Any]:
    """What the JSON API says, for the same data: what the page must show."""
    with httpx.Client(base_url=base_url, timeout=30) as client:

        def get(path: str, **params: str | int) -> Any:
            return client.get(path, params=params).raise_for_status().json()

        return {
            "progress": get(f"/api/v1/progress/2022/{phase}"),
            "league": get(f"/api/v1/league/2022/{phase}", level="affiliated", limit=20),
            "trend": get("/api/v1/trend/2022"),
            "fields": get("/api/v1/fields/2022", phase=phase),
            "honour": get("/api/v1/honour-board/2022"),
        }
