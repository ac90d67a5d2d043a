"""A proposal is not an award: reporting's summary counts by type and by level only the
confirmed awards. It counted every award not revoked, so proposals awaiting a decision, and
proposals an admin rejected, stood in `by_type` and `by_level` as awards (a black-box round:
49 'awards' there while none was confirmed)."""

import asyncio
from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from services.reporting.bootstrap import define
from services.submissions.demo import CAMPAIGN
from shared import contracts
from shared.campaign.loader import load_campaign
from shared.migrations import upgrade_to_head
from shared.service_app import create_app
from tests.unit.conftest import ADMIN, OFFICER_PVGAS, reporting_settings
from tests.unit.event_examples import (
    LATER,
    federation,
    granted,
    published,
    rejected,
    revoked,
    unit,
)
from tests.unit.handler_harness import fill_database

CERTIFICATE = "Giấy khen của Công đoàn Dầu khí Việt Nam"


def events() -> list[contracts.EventData]:
    """Four proposals of one phase: one confirmed, one awaiting, one rejected, one revoked
    after its confirmation."""
    same = {"award_name": CERTIFICATE, "level": "affiliated_union"}

    def award(n: int) -> dict[str, Any]:
        return {"award_id": UUID(int=n), **same}

    return [
        published(load_campaign(CAMPAIGN)),
        federation(),
        unit(),
        *(granted("proposed", **award(n)) for n in (1, 2, 3, 4)),
        granted("confirmed", LATER, **award(1)),
        rejected(LATER).model_copy(update=award(3)),
        granted("confirmed", LATER, **award(4)),
        revoked(LATER + timedelta(days=1), **award(4)),
    ]


@pytest.fixture(scope="module")
def reporting(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    settings = reporting_settings(tmp_path_factory.mktemp("reporting-awards"))
    upgrade_to_head("services.reporting", settings.database_url)
    asyncio.run(fill_database(define(settings), events()))
    with TestClient(create_app(define(settings))) as client:
        yield client


def test_only_confirmed_awards_are_counted_as_awards(reporting: TestClient) -> None:
    summary = reporting.get("/api/v1/summary/2022", headers=ADMIN)
    assert summary.status_code == 200, summary.text
    awards = summary.json()["awards"]
    assert awards["by_type"] == {CERTIFICATE: 1}
    assert awards["by_level"] == {"affiliated_union": 1}
    # Every decision still shows where it stands.
    assert awards["by_status"] == {"confirmed": 1, "proposed": 1, "rejected": 1, "revoked": 1}


def test_the_others_see_the_awards_announced_not_the_proposals(reporting: TestClient) -> None:
    # Counts of proposals and rejections are the admins' to weigh: for a small unit a count
    # says who was proposed or turned down (a read-only review).
    summary = reporting.get("/api/v1/summary/2022", headers=OFFICER_PVGAS)
    assert summary.status_code == 200, summary.text
    awards = summary.json()["awards"]
    assert awards["by_status"] == {"confirmed": 1, "revoked": 1}
    assert awards["by_type"] == {CERTIFICATE: 1}


def test_an_unknown_campaign_or_phase_is_404_not_a_summary_of_zeros(reporting: TestClient) -> None:
    # As the dashboard and the exports answer (a black-box round: 200 with every figure 0).
    unknown = reporting.get("/api/v1/summary/9999", headers=ADMIN)
    assert unknown.status_code == 404, unknown.text
    assert unknown.json()["errors"][0]["code"] == "unknown_campaign"
    no_phase = reporting.get("/api/v1/summary/2022", params={"phase": "nope"}, headers=ADMIN)
    assert no_phase.status_code == 404, no_phase.text
    assert no_phase.json()["errors"][0]["code"] == "unknown_phase"
    phase = load_campaign(CAMPAIGN).phases[0].code
    known = reporting.get("/api/v1/summary/2022", params={"phase": phase}, headers=ADMIN)
    assert known.status_code == 200, known.text
