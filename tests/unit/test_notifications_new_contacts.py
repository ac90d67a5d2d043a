"""The contacts a run of events meets first are written with one upsert at the run's end, so
that two replicas meeting the same person on different partitions never refuse each other's
batch: a contact stored meanwhile keeps what it holds, but a placeholder (named by a decision
before the submission arrived: its name is its id) takes the name the run learnt."""

from collections.abc import AsyncIterator

import pytest

from services.notifications.bootstrap import define
from services.notifications.config import NotificationsSettings
from services.notifications.service.batch import BatchLookups, finish
from services.notifications.tables import Contact
from shared.clock import FixedClock
from tests.unit.event_examples import NOW
from tests.unit.handler_harness import Handlers, handlers_on_sqlite

SERVICE = define(
    NotificationsSettings(
        database_url="sqlite+aiosqlite://", kafka_bootstrap_servers="127.0.0.1:1"
    ),
    FixedClock(NOW),
)


@pytest.fixture
async def notifications() -> AsyncIterator[Handlers]:
    async with handlers_on_sqlite(SERVICE) as handlers:
        yield handlers


async def test_a_contact_stored_meanwhile_keeps_its_details_and_a_placeholder_its_name(
    notifications: Handlers,
) -> None:
    async with notifications.sessions() as session, session.begin():
        # What another replica stored while this run was applied.
        session.add(Contact(person_id="M-PLACEHOLDER", full_name="M-PLACEHOLDER"))
        session.add(
            Contact(person_id="M-KNOWN", full_name="Trần Thị Bình", email="binh@thidua.example")
        )
    run = BatchLookups()
    run.add_contact(Contact(person_id="M-PLACEHOLDER", full_name="Nguyễn Văn An"))
    run.add_contact(Contact(person_id="M-KNOWN", full_name="M-KNOWN"))
    run.add_contact(Contact(person_id="M-NEW", full_name="Lê Văn Cường", unit_code="PVGAS"))
    async with notifications.sessions() as session, session.begin():
        await finish(session, run)  # no conflict refuses the run

    rows = {c.person_id: c for c in await notifications.rows(Contact)}
    assert rows["M-PLACEHOLDER"].full_name == "Nguyễn Văn An"
    assert (rows["M-KNOWN"].full_name, rows["M-KNOWN"].email) == (
        "Trần Thị Bình",
        "binh@thidua.example",
    )
    assert (rows["M-NEW"].full_name, rows["M-NEW"].unit_code) == ("Lê Văn Cường", "PVGAS")
