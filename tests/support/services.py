"""The services as real processes (`python -m services.<name>`), as they run in production."""

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tests.support.databases import DatabaseFactory
from tests.support.infrastructure import REPO, free_port


@dataclass
class ServiceProcess:
    name: str
    database_url: str
    kafka: str
    log_dir: Path
    port: int = field(default_factory=free_port)
    extra_env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None
    # Where the code runs from: the working tree, or a copy of it (the chaos suite runs a
    # copy taken at its start, so edits to the tree meanwhile do not reach restarted services).
    root: Path = REPO

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def env(self) -> dict[str, str]:
        prefix = self.name.upper()
        return {
            **os.environ,
            f"{prefix}_DATABASE_URL": self.database_url,
            f"{prefix}_KAFKA_BOOTSTRAP_SERVERS": self.kafka,
            f"{prefix}_HTTP_PORT": str(self.port),
            f"{prefix}_OUTBOX_POLL_INTERVAL_SECONDS": "0.2",
            **{f"{prefix}_{name}": value for name, value in self.extra_env.items()},
            # A copy first: `-m` puts the working directory first on the path too, ahead of
            # the editable install's finder, which would load the working tree's code.
            **({"PYTHONPATH": str(self.root)} if self.root != REPO else {}),
        }

    def migrate(self) -> None:
        done = subprocess.run(
            [sys.executable, "-m", f"services.{self.name}", "migrate"],
            env=self.env,
            cwd=self.root,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"{self.name} migrate failed:\n{done.stderr[-3000:]}")

    def start(self, ready_timeout: float = 60.0) -> None:
        self.process = start_until_ready(
            self.name,
            self.env,
            self.root,
            self.log_dir / f"{self.name}.log",
            self.url,
            ready_timeout,
            self.log_tail,
        )

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL: no shutdown hook runs, nothing is flushed or committed."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()

    def log_tail(self, lines: int = 40) -> str:
        path = self.log_dir / f"{self.name}.log"
        return (
            "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
            if path.exists()
            else ""
        )


async def metric(service: ServiceProcess, name: str, label: str = "") -> float:
    """The sum of the samples of `name` on the service's `/metrics` (only those whose line
    holds `label`, if given)."""
    async with httpx.AsyncClient(timeout=5) as client:
        text = (await client.get(f"{service.url}/metrics")).text
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith(name) and label in line
    )


@contextlib.asynccontextmanager
async def running_service(
    name: str, postgres: str, kafka: str, log_dir: Path, **extra_env: str
) -> AsyncIterator[ServiceProcess]:
    """The `name` service as a process, on a PostgreSQL database of its own (on the server
    `postgres` administers) and the broker `kafka`, migrated and started; stopped and its
    database dropped after."""
    databases = DatabaseFactory(postgres)
    service = ServiceProcess(
        name, await databases.create(name), kafka, log_dir, extra_env=extra_env
    )
    try:
        await asyncio.to_thread(service.migrate)
        await asyncio.to_thread(service.start)
        yield service
    finally:
        await asyncio.to_thread(service.stop)
        await databases.drop_all()


def start_until_ready(
    name: str,
    env: Mapping[str, str],
    cwd: Path,
    log_path: Path,
    url: str,
    timeout: float,
    log_tail: Callable[[], str],
) -> "subprocess.Popen[bytes]":
    """`python -m services.<name>`, its output appended to `log_path`, once its /ready
    answers 200 (it exiting first, or the timeout, raises with the log's tail)."""
    log = log_path.open("ab")
    process = subprocess.Popen(
        [sys.executable, "-m", f"services.{name}"],
        env=dict(env),
        cwd=cwd,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited: {log_tail()}")
        try:
            if httpx.get(f"{url}/ready", timeout=2).status_code == 200:
                return process
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{name} not ready in {timeout}s: {log_tail()}")
