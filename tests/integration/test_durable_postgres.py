"""The PostgreSQL that deploy/local/postgres.sh starts is durable, for the databases `make run`
makes there, and one left behind by the script's older, unsafe versions becomes durable on the
next `start`; the test suite's databases differ from them by exactly the documented opt-in.

The script runs here on a cluster of its own (a free port, a fresh data directory), so the
shared cluster that other test runs and `make run` use is neither restarted nor reconfigured.
"""

import asyncio
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy import make_url

from tests.support.databases import TEST_DATABASE_SETTINGS, DatabaseFactory
from tests.support.infrastructure import REPO, free_port
from tests.support.polling import eventually

SCRIPT = REPO / "deploy/local/postgres.sh"
# What deploy/local/run_local.py asks create-db for: one database per service, named for the
# stack (`database_names`).
MAKE_RUN_DATABASES = [
    f"thidua_run_0123abcd_{name}"
    for name in ("submissions", "scoring", "notifications", "reporting")
]
DURABLE = {"fsync": "on", "full_page_writes": "on", "synchronous_commit": "on"}
# The lines the script's older versions wrote into thidua.conf.
UNSAFE_LINES = "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"


@dataclass
class Cluster:
    env: dict[str, str]
    data: Path

    def run(self, *args: str) -> list[str]:
        """The script's stdout lines; fails the test, showing its stderr, if it fails."""
        done = subprocess.run(
            [str(SCRIPT), *args], env=self.env, capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, f"postgres.sh {' '.join(args)}:\n{done.stderr[-3000:]}"
        return done.stdout.strip().splitlines()

    def start(self) -> str:
        return self.run("start")[-1]


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    # mkdtemp's directory is 0700: when we are root the server runs as `postgres`, which must
    # reach the data directory inside it.
    parent = Path(tempfile.mkdtemp(prefix="thidua-test-durable-pg-"))
    parent.chmod(0o755)
    env = {
        **os.environ,
        "THIDUA_PG_PORT": str(free_port()),
        "THIDUA_PG_DATA": str(parent / "data"),
    }
    cluster = Cluster(env, parent / "data")
    try:
        yield cluster
    finally:
        subprocess.run([str(SCRIPT), "stop"], env=env, capture_output=True, check=False)
        shutil.rmtree(parent, ignore_errors=True)


@pytest.fixture(scope="module")
async def admin_url(cluster: Cluster) -> AsyncIterator[str]:
    yield await asyncio.to_thread(cluster.start)


async def settings(url: str) -> dict[str, str]:
    """fsync, full_page_writes and synchronous_commit, as a new session on `url` sees them."""
    url = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    connection = await asyncpg.connect(url)
    try:
        return {name: await connection.fetchval(f"SHOW {name}") for name in DURABLE}
    finally:
        await connection.close()


async def database_settings(admin_url: str, database: str) -> list[str]:
    """What ALTER DATABASE … SET has attached to `database` (for every role)."""
    connection = await asyncpg.connect(admin_url)
    try:
        rows = await connection.fetch(
            "SELECT unnest(setconfig) AS setting FROM pg_db_role_setting s"
            " JOIN pg_database d ON d.oid = s.setdatabase"
            " WHERE d.datname = $1 AND s.setrole = 0 ORDER BY 1",
            database,
        )
    finally:
        await connection.close()
    return [row["setting"] for row in rows]


async def test_the_databases_make_run_makes_are_durable(cluster: Cluster, admin_url: str) -> None:
    urls = await asyncio.to_thread(cluster.run, "create-db", *MAKE_RUN_DATABASES)
    assert len(urls) == len(MAKE_RUN_DATABASES)
    for url in urls:
        assert await settings(url) == DURABLE, url


async def test_create_db_undoes_an_opt_out_left_on_a_service_database(
    cluster: Cluster, admin_url: str
) -> None:
    name = MAKE_RUN_DATABASES[1]
    await asyncio.to_thread(cluster.run, "create-db", name)
    connection = await asyncpg.connect(admin_url)
    try:
        await connection.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = off')
    finally:
        await connection.close()
    [url] = await asyncio.to_thread(cluster.run, "create-db", name)
    assert await database_settings(admin_url, name) == []
    assert await settings(url) == DURABLE


async def test_the_test_suites_databases_opt_out_of_exactly_synchronous_commit(
    admin_url: str,
) -> None:
    # What the README's "Durability" paragraph says the tests do, and nothing more.
    assert TEST_DATABASE_SETTINGS == {"synchronous_commit": "off"}
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    durability = re.search(r"^### Durability\n(.*?)(?=^#)", readme, re.S | re.M)
    assert durability is not None, "README has no '### Durability' section"
    assert "synchronous_commit = off" in durability.group(1)
    assert "make run" in durability.group(1)

    factory = DatabaseFactory(admin_url)
    url = await factory.create("durable")
    try:
        name = make_url(url).database
        assert name is not None
        assert await database_settings(admin_url, name) == ["synchronous_commit=off"]
        # Never corrupt, even there: fsync and full-page writes stay on.
        assert await settings(url) == {**DURABLE, "synchronous_commit": "off"}
    finally:
        await factory.drop_all()


async def test_a_running_cluster_left_unsafe_by_an_older_script_becomes_durable_on_start(
    cluster: Cluster, admin_url: str
) -> None:
    # What an older postgres.sh left: the unsafe lines in thidua.conf, loaded.
    conf = cluster.data / "thidua.conf"
    conf.write_text(conf.read_text(encoding="utf-8") + UNSAFE_LINES, encoding="utf-8")
    connection = await asyncpg.connect(admin_url)
    try:
        await connection.execute("SELECT pg_reload_conf()")
    finally:
        await connection.close()

    async def unsafe() -> dict[str, str]:
        return await settings(admin_url)

    await eventually(unsafe, lambda seen: seen["fsync"] == "off")

    assert await asyncio.to_thread(cluster.start) == admin_url
    assert await settings(admin_url) == DURABLE
    assert "= off" not in conf.read_text(encoding="utf-8")


async def test_a_stopped_cluster_left_unsafe_by_an_older_script_starts_durable(
    cluster: Cluster, admin_url: str
) -> None:
    await asyncio.to_thread(cluster.run, "stop")
    conf = cluster.data / "thidua.conf"
    conf.write_text(conf.read_text(encoding="utf-8") + UNSAFE_LINES, encoding="utf-8")
    assert await asyncio.to_thread(cluster.start) == admin_url
    assert await settings(admin_url) == DURABLE
    [url] = await asyncio.to_thread(cluster.run, "create-db", MAKE_RUN_DATABASES[0])
    assert await settings(url) == DURABLE


async def test_start_refuses_a_cluster_kept_unsafe_behind_its_back(
    cluster: Cluster, admin_url: str
) -> None:
    connection = await asyncpg.connect(admin_url)
    try:
        await connection.execute("ALTER SYSTEM SET fsync = off")
        await connection.execute("SELECT pg_reload_conf()")
        done = None
        for _ in range(40):  # the postmaster applies a reload asynchronously
            done = await asyncio.to_thread(
                subprocess.run,
                [str(SCRIPT), "start"],
                env=cluster.env,
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode != 0:
                break
            await asyncio.sleep(0.25)
        assert done is not None and done.returncode != 0
        assert "is not durable: fsync=off" in done.stderr
        assert "postgresql.auto.conf" in done.stderr
    finally:
        await connection.execute("ALTER SYSTEM RESET fsync")
        await connection.execute("SELECT pg_reload_conf()")
        await connection.close()
        # The reload is applied asynchronously: the tests that run after this one (in any
        # order) find the cluster durable again, not fsync=off for a moment.
        await eventually(lambda: settings(admin_url), lambda seen: seen == DURABLE)
