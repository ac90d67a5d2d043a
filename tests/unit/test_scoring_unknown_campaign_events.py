"""A phase closed of a campaign scoring never received, or of a phase its campaign does not
have, can never apply: the campaign's events share one partition (their key is its code), so
nothing later brings it. Scoring judged UnknownCampaign and UnknownPhase (LookupErrors)
unknown failures: tried three times, the consumer pausing 1 s and 2 s for all its topics, then
parked with the reason 'ZZZ' or "('2022', 'nope')" (a black-box Kafka round). Now they are
the data's fault, parked at once with a reason that says what is missing."""

from typing import Any

import pytest

from services.scoring.bootstrap import define
from services.scoring.config import ScoringSettings
from services.scoring.service.awarding import UnknownCampaign, UnknownPhase
from services.submissions.demo import CAMPAIGN
from shared.campaign.loader import load_campaign
from shared.contracts import PhaseClosed
from shared.messaging.failures import Failure, classify, describe
from tests.unit.event_examples import NOW, phase_closed, published
from tests.unit.handler_harness import envelope, handlers_on_sqlite

SCORING = define(
    ScoringSettings(database_url="sqlite+aiosqlite://", kafka_bootstrap_servers="127.0.0.1:1")
)


def closed(**changes: Any) -> PhaseClosed:
    return phase_closed().model_copy(update=changes)


def test_an_unknown_campaign_or_phase_is_the_datas_fault_and_says_so() -> None:
    assert classify(UnknownCampaign("ZZZ")) is Failure.permanent
    assert classify(UnknownPhase("2022", "nope")) is Failure.permanent
    assert "ZZZ" in describe(UnknownCampaign("ZZZ"))
    assert "campaign.published" in describe(UnknownCampaign("ZZZ"))
    assert describe(UnknownPhase("2022", "nope")) == "campaign 2022 has no phase 'nope'"
    # Still lookups, for the API's 404s (services/scoring/api/refusals.py).
    assert isinstance(UnknownCampaign("ZZZ"), LookupError)


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"campaign_code": "ZZZ"}, "ZZZ"),
        ({"phase_code": "nope"}, "has no phase 'nope'"),
    ],
)
async def test_a_phase_closed_that_can_never_apply_is_parked_at_once(
    changes: dict[str, str], says: str
) -> None:
    async with handlers_on_sqlite(SCORING) as scoring:
        await scoring.deliver(envelope(published(load_campaign(CAMPAIGN)), NOW))
        await scoring.deliver(envelope(closed(**changes), NOW))

        [(_, reason, error_class)] = scoring.dead_letters.parked
        assert says in reason
        assert error_class.startswith("services.scoring.service.awarding.Unknown")
        retried = scoring.consumer._metrics.events_retried
        assert retried.labels(failure=Failure.unknown)._value.get() == 0
