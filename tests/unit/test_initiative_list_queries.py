"""An officer's list of initiatives reads the unit tree once a page, not once a row: a query
per row made a list of 200 seven times slower than an admin's, and under 64 clients it held
the connections until other requests were refused (a black-box load probe)."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import event

from tests.unit.conftest import OFFICER_PVGAS, submitted_by_an


@contextmanager
def statements(client: TestClient) -> Iterator[list[str]]:
    """The SQL statements the app runs inside the block."""
    engine = client.app.state.sessions.kw["bind"].sync_engine  # type: ignore[attr-defined]
    ran: list[str] = []

    def record(*args: Any) -> None:
        ran.append(args[2])  # (connection, cursor, statement, ...)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield ran
    finally:
        event.remove(engine, "before_cursor_execute", record)


def listed_by_the_officer(submissions: TestClient) -> tuple[int, int]:
    """How many initiatives PVGAS's officer is shown, and the statements that took."""
    with statements(submissions) as ran:
        page = submissions.get("/api/v1/initiatives?limit=50", headers=OFFICER_PVGAS)
    assert page.status_code == 200, page.text
    return len(page.json()["items"]), len(ran)


def test_an_officers_page_costs_the_same_statements_whatever_its_length(
    submissions: TestClient,
) -> None:
    for n in range(2):
        submitted_by_an(submissions, title=f"Sáng kiến thứ {n + 1} của anh An về máy nén khí")
    shown, few = listed_by_the_officer(submissions)
    for n in range(2, 8):
        submitted_by_an(submissions, title=f"Sáng kiến thứ {n + 1} của anh An về máy nén khí")

    more, many = listed_by_the_officer(submissions)

    assert (shown, more) == (2, 8)
    assert many == few
