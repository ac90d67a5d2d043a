"""Scoring and reporting keep a published campaign file only if it reads as the campaign it
names (shared.campaign.published). The contract carries the file as any JSON object, and
scoring kept `{}`, a file without phases, or another campaign's file under this code (a
black-box Kafka round: its progress then answered 500); under the code of a running campaign
it would have replaced the good copy, and every close and every late fact for a closed phase
would have failed on it, parked. Reporting kept them too, and then left the campaign out of
its dashboard, figures and exports."""

from typing import Any

import pytest
from sqlmodel import SQLModel

from services.reporting.bootstrap import define as reporting
from services.reporting.config import ReportingSettings
from services.reporting.tables import CampaignView
from services.scoring.bootstrap import define as scoring
from services.scoring.config import ScoringSettings
from services.scoring.tables import CampaignCopy
from services.submissions.demo import CAMPAIGN
from shared.campaign.loader import load_campaign
from shared.contracts import CampaignPublished
from shared.service_app import ServiceDefinition
from tests.unit.event_examples import NOW, published
from tests.unit.handler_harness import envelope, handlers_on_sqlite

DATABASE, KAFKA = "sqlite+aiosqlite://", "127.0.0.1:1"  # the harness's; no broker
# Each service that keeps the file, with the table it keeps it in.
KEEPERS: dict[str, tuple[ServiceDefinition, type[SQLModel]]] = {
    "scoring": (
        scoring(ScoringSettings(database_url=DATABASE, kafka_bootstrap_servers=KAFKA)),
        CampaignCopy,
    ),
    "reporting": (
        reporting(ReportingSettings(database_url=DATABASE, kafka_bootstrap_servers=KAFKA)),
        CampaignView,
    ),
}
PLAN = load_campaign(CAMPAIGN)


def file_of(**changes: Any) -> CampaignPublished:
    return published(PLAN).model_copy(update=changes)


def without_phases() -> dict[str, Any]:
    definition = PLAN.model_dump(mode="json")
    del definition["phases"]
    return definition


@pytest.mark.parametrize("keeper", KEEPERS)
@pytest.mark.parametrize(
    ("event", "says"),
    [
        (file_of(definition={}), "definition is not a campaign file"),
        (file_of(definition=without_phases()), "phases: Field required"),
        (file_of(campaign_code="2099"), "the event names '2099'"),
    ],
)
async def test_a_file_that_is_not_the_campaign_it_names_is_parked_and_the_good_copy_kept(
    keeper: str, event: CampaignPublished, says: str
) -> None:
    service, table = KEEPERS[keeper]
    async with handlers_on_sqlite(service) as handlers:
        good = published(PLAN)
        await handlers.deliver(envelope(good, NOW))
        await handlers.deliver(envelope(event, NOW))  # the bad file after the good one

        [(_, reason, error_class)] = handlers.dead_letters.parked
        assert says in reason
        assert error_class == "shared.messaging.failures.Refused"
        copies = {copy.code: copy.definition for copy in await handlers.rows(table)}
        assert copies == {PLAN.code: good.definition}
