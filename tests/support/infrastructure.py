"""Real Kafka and PostgreSQL for the tests.

Where a Docker engine answers, testcontainers starts them; where none does (these machines),
the project's own scripts under deploy/local start a real broker and a real server. An
address in the environment (THIDUA_TEST_KAFKA, THIDUA_TEST_PG_ADMIN_URL) wins over both.
"""

import contextlib
import os
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TEST_KAFKA_PORT = int(os.environ.get("THIDUA_TEST_KAFKA_PORT", "19092"))


def docker_engine_answers() -> bool:
    try:
        import docker

        docker.from_env(timeout=3).ping()
        return True
    except Exception:
        return False


@contextlib.contextmanager
def kafka_bootstrap() -> Iterator[str]:
    if address := os.environ.get("THIDUA_TEST_KAFKA"):
        yield address
    elif docker_engine_answers():
        from testcontainers.kafka import KafkaContainer

        with KafkaContainer("apache/kafka:4.1.1").with_kraft() as kafka:
            yield kafka.get_bootstrap_server()
    else:
        with tempfile.TemporaryDirectory(prefix="thidua-test-kafka-") as data_dir:
            env = {
                **os.environ,
                "KAFKA_PORT": str(TEST_KAFKA_PORT),
                "KAFKA_CONTROLLER_PORT": str(TEST_KAFKA_PORT + 1),
                "KAFKA_DATA_DIR": data_dir,
            }
            script = str(REPO / "deploy/local/kafka.sh")
            started = subprocess.run(
                [script, "start"], env=env, check=True, capture_output=True, text=True
            )
            try:
                yield started.stdout.strip().splitlines()[-1]
            finally:
                subprocess.run([script, "stop"], env=env, check=False, capture_output=True)


@contextlib.contextmanager
def postgres_admin_url() -> Iterator[str]:
    """A URL (postgresql://...) of a role that may create databases."""
    if url := os.environ.get("THIDUA_TEST_PG_ADMIN_URL"):
        yield url
    elif docker_engine_answers():
        from testcontainers.postgres import PostgresContainer

        with PostgresContainer("postgres:16", driver=None) as postgres:
            yield postgres.get_connection_url()
    else:
        # The local server is shared by test runs and `make run`; it is left running.
        started = subprocess.run(
            [str(REPO / "deploy/local/postgres.sh"), "start"],
            check=True,
            capture_output=True,
            text=True,
        )
        yield started.stdout.strip().splitlines()[-1]
