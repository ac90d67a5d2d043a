"""A campaign file reporting stored under an older, looser contract (a bound added since
refuses it: a complaint's resolution_days of 999999999, before it was bounded at 366) is left
out of reporting's list of campaigns, logged once, instead of failing the list. The list
failed as a whole: the refresher failed every round for every campaign (the 2022 dashboard's
figures froze) and GET /dashboard answered 500, seen on the development database that an
earlier fuzz round had left such files in."""

import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import insert

from services.reporting import queries
from services.reporting.bootstrap import define
from services.reporting.config import ReportingSettings
from services.reporting.queries import CampaignFiles, campaign_or_404
from services.reporting.service import refresher
from services.reporting.tables import Core
from services.submissions.demo import CAMPAIGN
from shared.campaign.loader import load_campaign
from shared.clock import FixedClock
from shared.refusals import Kind, Refusal
from tests.unit.event_examples import NOW, published
from tests.unit.handler_harness import Handlers, envelope, handlers_on_sqlite

SERVICE = define(
    ReportingSettings(database_url="sqlite+aiosqlite://", kafka_bootstrap_servers="127.0.0.1:1")
)
CLOCK = FixedClock(datetime.fromisoformat("2022-06-01T08:00:00+07:00"))


def stored_before_the_bound(definition: dict[str, Any]) -> dict[str, Any]:
    """The 2022 file as code OLD, with a resolution_days that today's contract refuses."""
    old = {**definition, "code": "OLD"}
    old["targets"] = [
        {**target, "indicator": {**target["indicator"], "resolution_days": 999_999_999}}
        if target["indicator"].get("resolution_days") is not None
        else target
        for target in definition["targets"]
    ]
    assert old["targets"] != definition["targets"]  # the plan has a complaints target
    return old


@pytest.fixture
async def reporting() -> AsyncIterator[Handlers]:
    plan = load_campaign(CAMPAIGN)
    async with handlers_on_sqlite(SERVICE) as handlers:
        await handlers.apply(envelope(published(plan), NOW))
        definition = plan.model_dump(mode="json")
        async with handlers.sessions() as session, session.begin():
            await session.execute(
                insert(Core.campaigns).values(
                    code="OLD",
                    definition=stored_before_the_bound(definition),
                    # Its own version in each test: the file is said once per version.
                    published_at=datetime.now(UTC),
                )
            )
        yield handlers


async def test_a_stored_file_today_s_contract_refuses_is_left_out_and_said_once(
    reporting: Handlers, caplog: pytest.LogCaptureFixture
) -> None:
    files = CampaignFiles()
    with caplog.at_level(logging.ERROR, logger=queries.log.name):
        async with reporting.sessions() as session:
            plans = await files.readable(session)
        async with reporting.sessions() as session:
            again = await files.readable(session)

    assert [plan.code for plan in plans] == [load_campaign(CAMPAIGN).code]
    assert [plan.code for plan in again] == [plan.code for plan in plans]
    [said] = [r for r in caplog.records if r.name == queries.log.name]
    assert said.__dict__["campaign_code"] == "OLD"
    assert "resolution_days" in said.getMessage()


async def test_the_other_campaigns_are_refreshed_beside_it(
    reporting: Handlers, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger=refresher.log.name):
        done = await refresher.refresh_all(reporting.sessions, CLOCK)

    assert done == len(load_campaign(CAMPAIGN).phases)
    assert not [r for r in caplog.records if r.name == refresher.log.name]


async def test_its_own_pages_answer_as_for_an_unknown_campaign_not_500(
    reporting: Handlers,
) -> None:
    files = CampaignFiles()
    async with reporting.sessions() as session:
        assert await files.get(session, "OLD") is None
        with pytest.raises(Refusal) as refused:
            await campaign_or_404(session, files, "OLD")
        assert (await files.get(session, load_campaign(CAMPAIGN).code)) is not None
    assert refused.value.kind is Kind.not_found
