"""Reporting's stored sums of VND do not overflow on real PostgreSQL: a unit's total past
bigint's 9.2 × 10^18 (what 9,224 initiatives at the maximum of 10^15 reach) is kept exactly,
where it once jammed the consumer."""

from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import async_sessionmaker

from services.reporting.bootstrap import define
from services.reporting.tables import DailyTally, UnitTally
from shared.contracts import InitiativeSubmitted
from shared.contracts.bounds import VND_MAX
from shared.upsert import table_of
from tests.support.envelopes import at
from tests.support.subscriptions import handlers_of

BIGINT_MAX = 2**63 - 1
submitted = handlers_of(define())[InitiativeSubmitted]  # as reporting's bootstrap wires it
SUBMITTED_AT = datetime(2022, 3, 1, 2, 0, tzinfo=UTC)


async def test_a_units_benefit_total_past_bigint_is_kept_exactly(
    reporting_db: async_sessionmaker[Any],
) -> None:
    already = 9_200  # initiatives at the maximum counted before: 9.2 × 10^18, just under bigint
    async with reporting_db() as session, session.begin():
        session.add(
            UnitTally(
                campaign_code="2022",
                phase_code="dot-1",
                unit_code="PVGAS",
                submitted=already,
                benefit_vnd=already * VND_MAX,
            )
        )
    more = 50  # through the projection, as the consumer applies them
    for n in range(more):
        event = InitiativeSubmitted(
            initiative_id=uuid4(),
            campaign_code="2022",
            phase_code="dot-1",
            unit_code="PVGAS",
            title=f"Sáng kiến {n}",
            field="technical",
            expected_benefit_vnd=VND_MAX,
            submitted_by="m",
            submitted_at=SUBMITTED_AT,
        )
        async with reporting_db() as session, session.begin():
            await submitted(at(event, SUBMITTED_AT), session)

    unit, day = table_of(UnitTally).c, table_of(DailyTally).c
    async with reporting_db() as session:
        tally = (await session.execute(select(unit.submitted, unit.benefit_vnd))).one()
        federation = (await session.execute(select(func.sum(unit.benefit_vnd)))).scalar_one()
        per_day = (await session.execute(select(func.sum(day.benefit_vnd)))).scalar_one()
    assert tally.submitted == already + more
    assert tally.benefit_vnd == (already + more) * VND_MAX > BIGINT_MAX
    assert isinstance(tally.benefit_vnd, int)
    assert federation == (already + more) * VND_MAX
    assert per_day == more * VND_MAX
