"""Read models where the newest version shows (units, registrations, reports, standings):
a run of events in one batch, reduced in memory and written with one upsert, leaves what the
same events applied one at a time leave, ties included, whatever their order."""

import itertools
from collections.abc import AsyncIterator
from typing import Any

import pytest

from services.reporting.bootstrap import define
from services.reporting.config import ReportingSettings
from services.reporting.tables import ClosedStandingRow
from shared.contracts import RegistrationApproved, RegistrationReturned, RegistrationSubmitted
from shared.messaging.cloudevents import Envelope
from tests.unit.event_examples import EARLIER, LATER, NOW, registration, report, standing, unit
from tests.unit.handler_harness import Handlers, envelope, handlers_on_sqlite

SERVICE = define(
    ReportingSettings(database_url="sqlite+aiosqlite://", kafka_bootstrap_servers="127.0.0.1:1")
)

RUNS: dict[str, list[Envelope[Any]]] = {
    "registrations": [
        envelope(registration(RegistrationSubmitted, EARLIER), EARLIER),
        envelope(registration(RegistrationApproved, LATER), LATER),
        envelope(registration(RegistrationReturned, NOW), NOW),
        envelope(registration(RegistrationReturned, LATER), LATER),  # a tie: the later wins
    ],
    "reports": [
        envelope(report(NOW, members_trained=80.0), NOW),
        envelope(report(LATER, members_trained=90.0), LATER),
        envelope(report(LATER, members_trained=70.0), LATER),  # a tie: the first stays
        envelope(report(EARLIER, members_trained=10.0), EARLIER),
    ],
    "standings": [
        envelope(standing(revision=1, rank=4), NOW),
        envelope(standing(revision=2, rank=1), LATER),
        envelope(standing(revision=2, rank=3), LATER),  # a tie: the first stays
    ],
    "units": [envelope(unit(name=f"PV GAS {n}"), NOW) for n in range(3)],
}


@pytest.fixture
async def reporting() -> AsyncIterator[Handlers]:
    async with handlers_on_sqlite(SERVICE) as handlers:
        yield handlers


async def _one_at_a_time(events: list[Envelope[Any]]) -> Any:
    async with handlers_on_sqlite(SERVICE) as handlers:
        await handlers.apply(*events)
        return await handlers.snapshot()


@pytest.mark.parametrize("name", sorted(RUNS))
async def test_a_run_in_one_batch_leaves_what_one_at_a_time_leaves(
    name: str, reporting: Handlers
) -> None:
    for order in itertools.permutations(RUNS[name]):
        async with handlers_on_sqlite(SERVICE) as batched:
            await batched.deliver(*order)  # one poll: the batch handler
            assert batched.dead_letters.parked == []
            assert await batched.snapshot() == await _one_at_a_time(list(order)), order


async def test_the_batch_keeps_the_newest_against_what_is_stored(reporting: Handlers) -> None:
    await reporting.deliver(envelope(standing(revision=3, rank=2), LATER))
    await reporting.deliver(*RUNS["standings"])  # all older than what is stored
    [row] = await reporting.rows(ClosedStandingRow)
    assert (row.revision, row.rank) == (3, 2)
