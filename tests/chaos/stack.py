"""The chaos run's own stack: a broker, a PostgreSQL cluster and the four services, each of
which can be SIGKILLed and started again.

Nothing here touches the broker or the cluster other runs share: the broker has its own ports
and data dir, the cluster its own port and data dir (deploy/local/postgres.sh honours
THIDUA_PG_PORT and THIDUA_PG_DATA), so killing them is harmless to everyone else.

Everything runs from a copy of the code taken when the run starts (services, shared,
campaigns, deploy): a service restarted ten minutes in runs the code it started with, even
where the working tree is being edited meanwhile (a half-saved module would otherwise fail
only the restarted process, and look like the fault's doing).
"""

import asyncio
import contextlib
import ctypes
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
import httpx

from services.submissions.demo import seed_campaign, seed_units, token
from shared.auth import Role
from tests.support.infrastructure import REPO, free_port
from tests.support.services import ServiceProcess

SERVICES = ("submissions", "scoring", "notifications", "reporting")
ADMIN = token("CDDKVN-0001", "CDDKVN", Role.FEDERATION_ADMIN)
# The settings a crash must not cost acknowledged commits: with synchronous_commit off a
# commit is acknowledged before its WAL leaves shared memory, and a killed server forgets
# it; fsync and full_page_writes matter once the machine itself fails.
DURABLE = {"fsync": "on", "synchronous_commit": "on", "full_page_writes": "on"}


CODE = ("services", "shared", "campaigns", "deploy")


def snapshot(work_dir: Path) -> Path:
    """A copy of the code the services and the scripts run from (see the module's doc)."""
    root = work_dir / "code"
    for part in CODE:
        shutil.copytree(
            REPO / part, root / part, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
        )
    return root


def run_script(root: Path, script: str, command: str, env: dict[str, str]) -> str:
    """One of deploy/local's scripts (from the copy); its last line of output."""
    done = subprocess.run(
        [str(root / "deploy/local" / script), command],
        # The scripts look for the venv beside themselves; the copy has none.
        env={**env, "PYTHON": sys.executable},
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{script} {command} failed:\n{done.stderr[-3000:]}")
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


def become_subreaper() -> None:
    """Adopt the daemons the scripts start (pg_ctl's postmaster, kafka.sh's JVM), so that
    once killed they are reaped here, at once. Until its parent reaps it a dead process is a
    zombie whose pid still answers kill(pid, 0): pg_ctl then takes the crashed server for a
    running one and refuses to start another. (An init that reaps lazily leaves it so for
    seconds.)"""
    pr_set_child_subreaper = 36
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_child_subreaper, 1, 0, 0, 0)


def _wait_gone(pids: list[int], timeout: float = 30.0) -> None:
    """Until no trace of these processes is left, zombies included (reaped when ours)."""
    deadline = time.monotonic() + timeout
    while any(Path(f"/proc/{pid}").exists() for pid in pids):
        for pid in pids:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, os.WNOHANG)
        if time.monotonic() > deadline:
            raise RuntimeError(f"pids {pids} still there {timeout}s after SIGKILL")
        time.sleep(0.05)


def _children(parent: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (FileNotFoundError, IndexError):
                continue
            if int(fields[1]) == parent:
                found.append(int(entry.name))
    return found


@dataclass
class Broker:
    """A single-node Kafka of this run's own (deploy/local/kafka.sh with its own settings)."""

    root: Path
    data_dir: Path
    port: int = field(default_factory=free_port)
    controller_port: int = field(default_factory=free_port)

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "KAFKA_PORT": str(self.port),
            "KAFKA_CONTROLLER_PORT": str(self.controller_port),
            "KAFKA_DATA_DIR": str(self.data_dir),
        }

    def start(self) -> None:
        run_script(self.root, "kafka.sh", "start", self.env)

    def kill(self) -> None:
        """SIGKILL the JVM: no shutdown hook, no flush of its own (the page cache keeps what
        it wrote, as after any process crash)."""
        pid = int((self.data_dir / "kafka.pid").read_text().strip())
        os.kill(pid, signal.SIGKILL)
        _wait_gone([pid])

    def stop(self) -> None:
        with contextlib.suppress(RuntimeError):
            run_script(self.root, "kafka.sh", "stop", self.env)


@dataclass
class Postgres:
    """A PostgreSQL cluster of this run's own (deploy/local/postgres.sh, its own port and
    data dir)."""

    root: Path
    data_dir: Path
    port: int = field(default_factory=free_port)
    admin_url: str = ""

    @property
    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "THIDUA_PG_PORT": str(self.port),
            "THIDUA_PG_DATA": str(self.data_dir),
        }

    def start(self) -> None:
        self.admin_url = run_script(self.root, "postgres.sh", "start", self.env)

    def database_url(self, name: str) -> str:
        return (
            self.admin_url.replace("postgresql://", "postgresql+asyncpg://").rsplit("/", 1)[0]
            + f"/{name}"
        )

    def plain_url(self, name: str) -> str:
        return self.admin_url.rsplit("/", 1)[0] + f"/{name}"

    async def make_durable(self) -> dict[str, str]:
        """The settings the '0 lost' check relies on across a crash of the server, made so on
        this cluster (postgresql.auto.conf outlives postgres.sh's rewrite of its settings at
        every start), and what the server says they are."""
        connection = await asyncpg.connect(self.admin_url)
        try:
            for name, value in DURABLE.items():
                if await connection.fetchval(f"SHOW {name}") != value:
                    await connection.execute(f"ALTER SYSTEM SET {name} = {value}")
            await connection.execute("SELECT pg_reload_conf()")
            await asyncio.sleep(0.5)  # the postmaster re-reads its files asynchronously
            return {name: str(await connection.fetchval(f"SHOW {name}")) for name in DURABLE}
        finally:
            await connection.close()

    async def create_databases(self, names: list[str]) -> None:
        connection = await asyncpg.connect(self.admin_url)
        try:
            for name in names:
                await connection.execute(f'CREATE DATABASE "{name}"')
        finally:
            await connection.close()

    def kill(self) -> None:
        """SIGKILL the postmaster and, at the same moment, every process it started: the
        server crashes as a whole (the postmaster alone would leave its backends serving
        their connections a little longer), and the next start runs crash recovery."""
        pid = int((self.data_dir / "postmaster.pid").read_text().splitlines()[0])
        family = [pid, *_children(pid)]
        for member in family:
            with contextlib.suppress(ProcessLookupError):
                os.kill(member, signal.SIGKILL)
        _wait_gone(family)

    def stop(self) -> None:
        with contextlib.suppress(RuntimeError):
            run_script(self.root, "postgres.sh", "stop", self.env)


@dataclass
class Stack:
    work_dir: Path
    broker: Broker
    postgres: Postgres
    services: dict[str, ServiceProcess]
    settings: dict[str, str]

    @classmethod
    async def start(cls, work_dir: Path, run_id: str) -> "Stack":
        log_dir = work_dir / "logs"
        log_dir.mkdir(parents=True, exist_ok=True)
        # As root the cluster belongs to the `postgres` user, who must reach its data dir.
        work_dir.chmod(0o755)  # noqa: ASYNC240 (once, before anything runs)
        become_subreaper()
        root = await asyncio.to_thread(snapshot, work_dir)
        broker = Broker(root, work_dir / "kafka")
        postgres = Postgres(root, work_dir / "pg" / "data")
        try:
            await asyncio.gather(asyncio.to_thread(broker.start), asyncio.to_thread(postgres.start))
            settings = await postgres.make_durable()
            names = {name: f"chaos_{run_id}_{name}" for name in SERVICES}
            await postgres.create_databases(list(names.values()))
        except BaseException:
            broker.stop()
            postgres.stop()
            raise
        services = {
            name: ServiceProcess(
                name,
                postgres.database_url(names[name]),
                broker.address,
                log_dir,
                extra_env={"KAFKA_GROUP_ID": name},
                root=root,
            )
            for name in SERVICES
        }
        stack = cls(work_dir, broker, postgres, services, settings)
        try:
            await asyncio.gather(*(asyncio.to_thread(s.migrate) for s in services.values()))
            await asyncio.gather(*(asyncio.to_thread(s.start, 120.0) for s in services.values()))
        except BaseException:
            stack.stop()
            raise
        return stack

    def database(self, service: str) -> str:
        return self.postgres.plain_url(
            self.services[service].database_url.rsplit("/", 1)[1].split("?")[0]
        )

    def seed(self, units: list[str]) -> None:
        """The demo union tree, the 2022 campaign with phase 1 open, and this run's units
        (grassroots unions under PVCFC, one spreadsheet import)."""
        with httpx.Client(base_url=self.services["submissions"].url, timeout=120) as client:
            seed_units(client)
            seed_campaign(client)
            rows = ["code,name,parent_code,level,cluster"] + [
                f"{code},Công đoàn thử chịu lỗi {code},PVCFC,grassroots," for code in units
            ]
            response = client.post(
                "/api/v1/units/import",
                files={"file": ("chaos-units.csv", "\n".join(rows).encode(), "text/csv")},
                headers=ADMIN,
            )
            if response.status_code != 200:
                raise RuntimeError(f"units refused ({response.status_code}): {response.text}")

    def stop(self) -> None:
        for service in self.services.values():
            service.stop()
        self.broker.stop()
        self.postgres.stop()
        # The adopted daemons, now stopped: reaped, not left as zombies.
        with contextlib.suppress(ChildProcessError):
            while os.waitpid(-1, os.WNOHANG)[0]:
                pass
