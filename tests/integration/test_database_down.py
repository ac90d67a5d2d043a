"""While PostgreSQL cannot be reached, every service answers 503 with `Retry-After` in the error
shape (field "database", both languages), never 500, and `/ready` says not ready in time
(issue 13: the fuzzer saw 500s with the database down).

Down is a URL at a port where nothing listens (the shared PostgreSQL others use keeps running),
a "server" that accepts and never answers (a host dropping packets), and, on the real
PostgreSQL, a role that may open no connection at all ("too many connections")."""

import asyncio
import contextlib
import socket
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import asyncpg
import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import exc as sa_exc
from sqlalchemy import make_url

from services.notifications.bootstrap import define as define_notifications
from services.notifications.config import NotificationsSettings
from services.reporting.bootstrap import define as define_reporting
from services.reporting.config import ReportingSettings
from services.scoring.bootstrap import define as define_scoring
from services.scoring.config import ScoringSettings
from services.submissions.bootstrap import define as define_submissions
from services.submissions.config import SubmissionsSettings
from services.submissions.demo import token
from shared.auth import Role
from shared.http.probes import DATABASE_CHECK_SECONDS
from shared.http.unavailable import RETRY_AFTER_SECONDS, database_unavailable
from shared.service_app import ServiceDefinition, create_app
from tests.support.infrastructure import free_port

ADMIN = token("CDDKVN-0001", "CDDKVN", Role.FEDERATION_ADMIN)
NO_KAFKA = "127.0.0.1:1"


def submissions(url: str) -> ServiceDefinition:
    return define_submissions(
        SubmissionsSettings(database_url=url, kafka_bootstrap_servers=NO_KAFKA)
    )


def scoring(url: str) -> ServiceDefinition:
    return define_scoring(ScoringSettings(database_url=url, kafka_bootstrap_servers=NO_KAFKA))


def notifications(url: str) -> ServiceDefinition:
    settings = NotificationsSettings(
        database_url=url, kafka_bootstrap_servers=NO_KAFKA, smtp_port=1
    )
    return define_notifications(settings)


def reporting(url: str) -> ServiceDefinition:
    return define_reporting(ReportingSettings(database_url=url, kafka_bootstrap_servers=NO_KAFKA))


# Each service and a route of it that reads its database.
SERVICES: list[tuple[Callable[[str], ServiceDefinition], str]] = [
    (submissions, "/api/v1/initiatives"),
    (scoring, "/api/v1/reviews/pending"),
    (notifications, "/api/v1/contacts"),
    (reporting, "/api/v1/initiative-counts?campaign_code=2022"),
]


def assert_unavailable(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["retry-after"] == str(RETRY_AFTER_SECONDS)
    [error] = response.json()["errors"]
    assert error["field"] == "database"
    assert error["code"] == "database_unavailable"
    assert "Cơ sở dữ liệu" in error["message_vi"] and "database" in error["message_en"]


def assert_not_ready(client: TestClient, within: float) -> None:
    started = time.monotonic()
    response = client.get("/ready")
    assert time.monotonic() - started < within
    assert response.status_code == 503, response.text
    assert response.json()["checks"]["database"] is False


@pytest.mark.parametrize(("define", "path"), SERVICES, ids=[d.__name__ for d, _ in SERVICES])
def test_with_nothing_listening_every_service_answers_503_with_retry_after(
    define: Callable[[str], ServiceDefinition], path: str
) -> None:
    closed = free_port()  # bound and released: nothing listens there
    url = f"postgresql+asyncpg://thidua:thidua@127.0.0.1:{closed}/thidua"
    with TestClient(create_app(define(url))) as client:
        assert_unavailable(client.get(path, headers=ADMIN))
        assert_not_ready(client, within=DATABASE_CHECK_SECONDS + 2)
        # Liveness is the process's, not the database's.
        assert client.get("/health").status_code == 200


@contextlib.contextmanager
def silent_server() -> Iterator[int]:
    """A port that accepts TCP connections and never says a word, as a PostgreSQL host behind
    a black hole would seem to the driver: its connect waits for its own timeout (60 s)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    try:
        yield listener.getsockname()[1]
    finally:
        listener.close()


def test_ready_says_not_ready_in_time_when_the_database_never_answers() -> None:
    with silent_server() as port:
        url = f"postgresql+asyncpg://thidua:thidua@127.0.0.1:{port}/thidua"
        with TestClient(create_app(reporting(url))) as client:
            assert_not_ready(client, within=DATABASE_CHECK_SECONDS + 2)


@contextlib.asynccontextmanager
async def role_without_connections(admin_url: str) -> Any:
    """A login role that may open no connection (CONNECTION LIMIT 0): PostgreSQL refuses it
    with "too many connections", as when the server is full. Dropped afterwards."""
    name = f"t_full_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(admin_url)
    try:
        try:
            await admin.execute(f"CREATE ROLE {name} LOGIN PASSWORD 'x' CONNECTION LIMIT 0")
        except asyncpg.InsufficientPrivilegeError:
            pytest.skip("the test server's admin role may not create roles")
        try:
            yield name
        finally:
            await admin.execute(f"DROP ROLE IF EXISTS {name}")
    finally:
        await admin.close()


def test_a_full_postgresql_answers_503_not_500(postgres: str) -> None:
    async def run() -> None:
        async with role_without_connections(postgres) as role:
            url = make_url(postgres).set(
                drivername="postgresql+asyncpg", username=role, password="x"
            )
            service = scoring(url.render_as_string(hide_password=False))

            def requests() -> None:
                with TestClient(create_app(service)) as client:
                    assert_unavailable(client.get("/api/v1/reviews/pending", headers=ADMIN))
                    assert_not_ready(client, within=DATABASE_CHECK_SECONDS + 2)

            await asyncio.to_thread(requests)

    asyncio.run(run())


# --- which errors are the database being away, and which are bugs --------------------------


def wrapped(driver_error: Exception) -> sa_exc.DBAPIError:
    """A driver error as SQLAlchemy's asyncpg dialect raises it: a generic DBAPIError."""
    try:
        try:
            raise driver_error
        except Exception as cause:
            raise sa_exc.DBAPIError("SELECT 1", None, cause) from cause
    except sa_exc.DBAPIError as error:
        return error


def test_connection_and_capacity_errors_are_unavailability_and_others_are_bugs() -> None:
    for away in (
        asyncpg.exceptions.TooManyConnectionsError("too many connections"),
        asyncpg.exceptions.CannotConnectNowError("the database system is starting up"),
        asyncpg.exceptions.AdminShutdownError("terminating connection"),
        asyncpg.exceptions.ConnectionDoesNotExistError("connection was closed"),
    ):
        assert database_unavailable(wrapped(away)), away
    assert database_unavailable(sa_exc.TimeoutError("QueuePool limit reached"))
    assert database_unavailable(sa_exc.OperationalError("SELECT 1", None, Exception("locked")))
    for bug in (
        asyncpg.exceptions.UndefinedColumnError("column x does not exist"),
        asyncpg.exceptions.UniqueViolationError("duplicate key"),
        asyncpg.exceptions.InvalidPasswordError("password authentication failed"),
    ):
        assert not database_unavailable(wrapped(bug)), bug
    # An OSError raised outside the driver (an attachment's disk) is no database's.
    assert not database_unavailable(ConnectionRefusedError(111, "refused"))
    assert not database_unavailable(KeyError("x"))
