"""Real Kafka and PostgreSQL for the tests.

Where a Docker engine answers, testcontainers starts them; where none does (these machines),
the project's own scripts under deploy/local start a real broker and a real server. An
address in the environment (THIDUA_TEST_KAFKA, THIDUA_TEST_PG_ADMIN_URL) wins over both.

A broker creates no topic on first use, as in production: `kafka_bootstrap()` provisions the
declared topics (shared.contracts.topics) before it yields, so a test may write to them before
any service ran; a test's own ad-hoc topics are created by the test (`create_topic`).
"""

import asyncio
import concurrent.futures
import contextlib
import os
import socket
import subprocess
import tempfile
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any

from shared.contracts.topics import TopicSpec, declared_topics
from shared.messaging.provisioning import provision_topics

REPO = Path(__file__).resolve().parents[2]


_HANDED_OUT: set[int] = set()


def free_port() -> int:
    """A port nothing listens on now, and never one this process handed out before: the
    system may offer a free port twice before the first taker binds it (a chaos run once
    gave submissions and notifications the same one, and notifications never started)."""
    while True:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port: int = probe.getsockname()[1]
        if port not in _HANDED_OUT:
            _HANDED_OUT.add(port)
            return port


def run_script(*command: str, env: dict[str, str] | None = None) -> str:
    """Run one of deploy/local's scripts; its last line of output, or its stderr on failure."""
    done = subprocess.run(
        [str(REPO / "deploy/local" / command[0]), *command[1:]],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stderr[-3000:]}")
    return done.stdout.strip().splitlines()[-1]


def docker_engine_answers() -> bool:
    try:
        import docker

        docker.from_env(timeout=3).ping()
        return True
    except Exception:
        return False


@contextlib.contextmanager
def kafka_bootstrap(*, provisioned: bool = True) -> Iterator[str]:
    """A broker's address; with `provisioned`, every declared topic exists on it (a test of
    the services' own provisioning asks for a bare broker)."""
    with _broker() as address:
        if provisioned:
            _in_a_thread_of_its_own(provision_topics(address, declared_topics()))
        yield address


@contextlib.contextmanager
def _first_at_hand(
    variable: str,
    in_a_container: Callable[[], contextlib.AbstractContextManager[str]],
    on_this_machine: Callable[[], contextlib.AbstractContextManager[str]],
) -> Iterator[str]:
    """The address the environment's `variable` gives; else one of a container, where a
    Docker engine answers; else one of a server started on this machine."""
    if address := os.environ.get(variable):
        yield address
        return
    start = in_a_container if docker_engine_answers() else on_this_machine
    with start() as address:
        yield address


def _broker() -> contextlib.AbstractContextManager[str]:
    return _first_at_hand("THIDUA_TEST_KAFKA", _kafka_container, _kafka_here)


@contextlib.contextmanager
def _kafka_container() -> Iterator[str]:
    from testcontainers.kafka import KafkaContainer

    container = KafkaContainer("apache/kafka:4.1.1").with_kraft()
    container.with_env("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
    with container as kafka:
        yield kafka.get_bootstrap_server()


@contextlib.contextmanager
def _kafka_here() -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="thidua-test-kafka-") as data_dir:
        # Free ports of its own, so a run never collides with `make run` or another run.
        port = os.environ.get("THIDUA_TEST_KAFKA_PORT") or str(free_port())
        env = {
            **os.environ,
            "KAFKA_PORT": port,
            "KAFKA_CONTROLLER_PORT": str(free_port()),
            "KAFKA_DATA_DIR": data_dir,
        }
        address = run_script("kafka.sh", "start", env=env)
        try:
            yield address
        finally:
            subprocess.run(
                [str(REPO / "deploy/local/kafka.sh"), "stop"], env=env, capture_output=True
            )


def _in_a_thread_of_its_own(work: Coroutine[Any, Any, object]) -> None:
    """Run `work` to its end from sync code, also where an event loop already runs (a
    benchmark's `async def main` opens kafka_bootstrap())."""
    with concurrent.futures.ThreadPoolExecutor(1) as thread:
        thread.submit(asyncio.run, work).result()


async def create_topic(bootstrap: str, name: str, partitions: int = 1) -> str:
    """A test's own topic (the broker would not create it on first use); `name` back."""
    spec = TopicSpec(name, partitions, "a test's", "a test", "A test's own topic.")
    async with asyncio.timeout(60):
        await provision_topics(bootstrap, [spec], client_id="test-topics")
    return name


def postgres_admin_url() -> contextlib.AbstractContextManager[str]:
    """A URL (postgresql://...) of a role that may create databases."""
    return _first_at_hand("THIDUA_TEST_PG_ADMIN_URL", _postgres_container, _postgres_here)


@contextlib.contextmanager
def _postgres_container() -> Iterator[str]:
    from testcontainers.postgres import PostgresContainer

    with PostgresContainer("postgres:16", driver=None) as postgres:
        yield postgres.get_connection_url()


@contextlib.contextmanager
def _postgres_here() -> Iterator[str]:
    # The local server is shared by test runs and `make run`; it is left running. It is
    # durable: only the tests' own databases opt out, of synchronous_commit alone
    # (tests/support/databases.py), so sharing it never makes `make run` unsafe.
    yield run_script("postgres.sh", "start")
