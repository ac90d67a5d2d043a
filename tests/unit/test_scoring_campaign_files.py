"""Scoring keeps a published campaign file only if it reads as the campaign it names. The
contract carries the file as any JSON object, and scoring kept `{}`, a file without phases,
or another campaign's file under this code (a black-box Kafka round: its progress then
answered 500); under the code of a running campaign it would have replaced the good copy,
and every close and every late fact for a closed phase would have failed on it, parked."""

from typing import Any

import pytest

from services.scoring.bootstrap import define
from services.scoring.config import ScoringSettings
from services.scoring.tables import CampaignCopy
from services.submissions.demo import CAMPAIGN
from shared.campaign.loader import load_campaign
from shared.contracts import CampaignPublished
from tests.unit.event_examples import NOW, published
from tests.unit.handler_harness import envelope, handlers_on_sqlite

SCORING = define(
    ScoringSettings(database_url="sqlite+aiosqlite://", kafka_bootstrap_servers="127.0.0.1:1")
)
PLAN = load_campaign(CAMPAIGN)


def file_of(**changes: Any) -> CampaignPublished:
    return published(PLAN).model_copy(update=changes)


def without_phases() -> dict[str, Any]:
    definition = PLAN.model_dump(mode="json")
    del definition["phases"]
    return definition


@pytest.mark.parametrize(
    ("event", "says"),
    [
        (file_of(definition={}), "definition is not a campaign file"),
        (file_of(definition=without_phases()), "phases: Field required"),
        (file_of(campaign_code="2099"), "the event names '2099'"),
    ],
)
async def test_a_file_that_is_not_the_campaign_it_names_is_parked_and_the_good_copy_kept(
    event: CampaignPublished, says: str
) -> None:
    async with handlers_on_sqlite(SCORING) as scoring:
        good = published(PLAN)
        await scoring.deliver(envelope(good, NOW))
        await scoring.deliver(envelope(event, NOW))  # the bad file after the good one

        [(_, reason, error_class)] = scoring.dead_letters.parked
        assert says in reason
        assert error_class == "shared.messaging.failures.Refused"
        copies = {copy.code: copy.definition for copy in await scoring.rows(CampaignCopy)}
        assert copies == {PLAN.code: good.definition}
