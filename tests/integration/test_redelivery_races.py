"""An operator's "Gửi lại" at the moment a worker claims the same delivery, on real PostgreSQL:
the claim stands (the delivery is being sent), and the redelivery answers it as it is instead
of putting it back to be claimed and sent a second time."""

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import col

from services.notifications.service.delivery import redeliver
from services.notifications.tables import Delivery
from shared.contracts.vocabulary import DeliveryStatus
from tests.support.databases import DatabaseFactory

pytestmark = pytest.mark.integration


@pytest.fixture
async def sessions(databases: DatabaseFactory) -> AsyncIterator[async_sessionmaker[Any]]:
    async with databases.migrated("notifications") as sessions:
        yield sessions


async def retrying(sessions: async_sessionmaker[Any]) -> UUID:
    """A webhook delivery that failed once and waits for its next attempt, due now."""
    now = datetime.now(UTC)
    delivery = Delivery(
        id=uuid4(),
        event_id=uuid4(),
        event_type="vn.congdoandaukhi.thidua.test.burst.v1",
        recipient_id=str(uuid4()),
        channel="webhook",
        destination="https://hr.example.com/hook",
        subject="burst",
        body="{}",
        status=DeliveryStatus.retrying,
        attempts=1,
        next_attempt_at=now,
        created_at=now,
    )
    async with sessions() as session, session.begin():
        session.add(delivery)
    return delivery.id


async def test_a_redelivery_meeting_a_workers_claim_leaves_the_claim_alone(
    sessions: async_sessionmaker[Any],
) -> None:
    delivery_id = await retrying(sessions)
    now = datetime.now(UTC)
    # A worker's claim, as its transaction makes it, held open while the operator redelivers.
    async with sessions() as claim, claim.begin():
        await claim.execute(
            update(Delivery)
            .where(col(Delivery.id) == delivery_id)
            .values(status=DeliveryStatus.in_flight, claimed_until=now + timedelta(minutes=1))
        )
        redelivering = asyncio.create_task(redeliver(sessions, delivery_id, now))
        await asyncio.sleep(0.5)
    answered = await asyncio.wait_for(redelivering, 30)
    assert answered is not None and answered.status == DeliveryStatus.in_flight
    async with sessions() as session:
        stored = await session.get(Delivery, delivery_id)
    # Before, the redelivery had read it retrying and wrote over the claim: retrying, attempts
    # 0, due now, so a worker claimed it again while the first one was sending it.
    assert stored is not None
    assert (stored.status, stored.attempts) == (DeliveryStatus.in_flight, 1)
