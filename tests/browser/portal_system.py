"""The whole system behind the portal, as it runs in production: the four services as
processes (`python -m services.<name>`) on their own PostgreSQL databases and the real Kafka
broker, seeded with the demo union tree, the 2022 plan (phase 1 open), the demo's initiatives
and contacts; and the portal as a process (`python -m services.portal`) calling them over
HTTP. Debian's Chromium (deploy/local/chromium.sh) drives it through Playwright.
"""

import asyncio
import os
import subprocess
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
import pytest

from services.submissions.demo import seed_campaign, seed_contacts, seed_initiatives, seed_units
from shared.auth import load_auth_settings
from shared.dev_tokens import token_for
from tests.support.databases import DatabaseFactory
from tests.support.infrastructure import REPO, free_port
from tests.support.services import ServiceProcess, start_until_ready

SERVICES = ("submissions", "scoring", "notifications", "reporting")
CHROMIUM = Path("/usr/bin/chromium")
INSTALL_SCRIPT = REPO / "deploy" / "local" / "chromium.sh"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).parent / "artifacts"
# Mail goes nowhere (a port nothing listens on: deliveries wait and retry), never to a mail
# catcher `make run` may have left on 1025.
EXTRA_ENV = {"notifications": {"SMTP_PORT": str(free_port())}}


def chromium() -> str:
    """Debian's Chromium; installed by deploy/local/chromium.sh (apt-get, as root) if missing.
    The install gets less than pytest's 300 s per test; `deploy/local/chromium.sh` beforehand
    takes as long as it needs."""
    if CHROMIUM.is_file():
        return str(CHROMIUM)
    try:
        done = subprocess.run(
            [str(INSTALL_SCRIPT)], capture_output=True, text=True, timeout=280, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        pytest.skip(f"{CHROMIUM} is missing and {INSTALL_SCRIPT} could not run: {error}")
    path = Path(done.stdout.strip().splitlines()[-1]) if done.stdout.strip() else CHROMIUM
    if done.returncode != 0 or not path.is_file():
        why = (done.stderr.strip().splitlines() or ["no output"])[-1]
        pytest.skip(
            f"{CHROMIUM} is missing and {INSTALL_SCRIPT} could not install it "
            f"(exit {done.returncode}: {why}); the browser tests need Debian's chromium"
        )
    return str(path)


def _run(work: Coroutine[Any, Any, Any]) -> Any:
    # In a thread of its own: Playwright's sync API may run an event loop in this one.
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, work).result()


@dataclass
class PortalProcess:
    """`python -m services.portal`, pointed at the services."""

    service_urls: dict[str, str]
    log_dir: Path
    port: int
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 90.0) -> None:
        env = {
            **os.environ,
            "PORTAL_HTTP_PORT": str(self.port),
            **{f"PORTAL_{name.upper()}_URL": url for name, url in self.service_urls.items()},
        }
        self.process = start_until_ready(
            "portal", env, REPO, self.log_dir / "portal.log", self.url, timeout, self.log_tail
        )

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(20)

    def log_tail(self, lines: int = 40) -> str:
        path = self.log_dir / "portal.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


@dataclass(frozen=True)
class PortalSystem:
    portal_url: str
    services: dict[str, ServiceProcess]

    def api(self, service: str, user: str) -> httpx.Client:
        """`service`'s API as the demo user `user`, to check what the pages did."""
        token = token_for(user, load_auth_settings(), timedelta(hours=1))
        return httpx.Client(
            base_url=self.services[service].url,
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )


@contextmanager
def portal_system(kafka: str, postgres: str, log_dir: Path) -> Iterator[PortalSystem]:
    databases = DatabaseFactory(postgres)
    run = f"browser-{uuid4().hex[:8]}"
    services = {
        name: ServiceProcess(
            name,
            _run(databases.create(name)),
            kafka,
            log_dir,
            # Groups of their own: never a member of another suite's (tests/e2e) groups.
            extra_env={"KAFKA_GROUP_ID": f"{name}-{run}", **EXTRA_ENV.get(name, {})},
        )
        for name in SERVICES
    }
    services["submissions"].extra_env["ATTACHMENTS_DIR"] = str(log_dir / "attachments")
    portal = PortalProcess({n: s.url for n, s in services.items()}, log_dir, free_port())
    try:
        for service in services.values():
            service.migrate()
            service.start()
        with httpx.Client(base_url=services["notifications"].url, timeout=30) as notifications:
            seed_contacts(notifications)
        with httpx.Client(base_url=services["submissions"].url, timeout=30) as submissions:
            seed_units(submissions)
            seed_campaign(submissions)
            seed_initiatives(submissions)  # the demo's 14, so that lists are not empty
        portal.start()
        yield PortalSystem(portal.url, services)
    finally:
        portal.stop()
        for service in services.values():
            service.stop()
        _run(databases.drop_all())
