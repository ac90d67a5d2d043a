"""Scoring's council in the unit tests: scoring keeping the 2022 plan, an initiative queued for
review as the event `initiative submitted` queues it, and a bulk assignment of its council."""

from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

import httpx
from fastapi.testclient import TestClient

from services.scoring import handlers
from services.scoring.tables import ReviewRecord
from shared.contracts import InitiativeAuthor
from shared.messaging.cloudevents import new_envelope
from tests.unit.conftest import ADMIN, keep_the_plan
from tests.unit.event_examples import submitted as example

AUTHOR = "PVGAS-0012"


async def apply_handler(client: TestClient, handler: Any, event: Any) -> None:
    async with client.app.state.sessions() as session, session.begin():  # type: ignore[attr-defined]
        await handler(event, session)


def awaiting_council(client: TestClient) -> UUID:
    """An initiative as scoring queues it when `initiative submitted` arrives."""
    submitted = example(
        initiative_id=uuid4(),
        unit_code="PVGAS-KCM",
        authors=(InitiativeAuthor(member_id=AUTHOR, full_name="Nguyễn Văn An", share_percent=100),),
        submitted_by=AUTHOR,
        submitted_at=datetime.now(UTC),
    )
    client.portal.call(  # type: ignore[union-attr]
        apply_handler,
        client,
        handlers.queue_for_review,
        new_envelope(submitted, source="/t", subject="t"),
    )
    return submitted.initiative_id


def council_of(client: TestClient, initiative_id: UUID) -> list[str]:
    async def read() -> list[str]:
        async with client.app.state.sessions() as session:  # type: ignore[attr-defined]
            record = await session.get(ReviewRecord, initiative_id)
            return list(record.council)

    return client.portal.call(read)  # type: ignore[union-attr]


def assign(
    client: TestClient, initiative_id: UUID, reviewers: list[str], **more: Any
) -> httpx.Response:
    response: httpx.Response = client.post(
        "/api/v1/reviews/assign",
        json={"initiative_ids": [str(initiative_id)], "reviewer_ids": reviewers, **more},
        headers=ADMIN,
    )
    return response


def keeping_the_plan(scoring: TestClient) -> TestClient:
    """Scoring on a database of its own (tests/unit/conftest.py), holding the 2022 plan as it
    keeps it (its council sits with at least 3 members)."""
    keep_the_plan(scoring)
    return scoring
