"""Scoring's migration 0004 on real PostgreSQL: a close kept before 0003 (no campaign time)
takes its campaign time and review day from the phase.closed fact kept with it."""

import asyncio
import json
from datetime import UTC, date, datetime
from typing import Any
from uuid import uuid4

import sqlalchemy as sa
from alembic import command

from shared.contracts import PhaseClosed
from shared.db import create_engine
from shared.migrations import alembic_config, upgrade_to_head
from tests.support.databases import DatabaseFactory

RECORDED = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)  # when the close was keyed in
ON_THE_CAMPAIGNS_CLOCK = datetime(2022, 7, 15, 1, 0, tzinfo=UTC)


def _close(phase: str, closed_on: str | None) -> dict[str, Any]:
    return {
        "campaign_code": "2022",
        "phase_code": phase,
        "closed_by": "CDDKVN-0001",
        "closed_at": ON_THE_CAMPAIGNS_CLOCK.isoformat(),
        "closed_on": closed_on,
        "forced": False,
    }


async def test_a_close_kept_before_0003_takes_its_campaign_time_from_its_fact(
    databases: DatabaseFactory,
) -> None:
    url = await databases.create("scoring")
    before = alembic_config("services.scoring", url)
    await asyncio.to_thread(command.upgrade, before, "0003_campaign_close_time")
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            for phase, recorded in (("dot-1", RECORDED), ("dot-2", RECORDED), ("ca-nam", None)):
                await connection.execute(
                    sa.text(
                        "INSERT INTO closed_phases (campaign_code, phase_code, closed_at) "
                        "VALUES ('2022', :phase, :at)"
                    ),
                    {"phase": phase, "at": recorded or datetime(2026, 12, 2, tzinfo=UTC)},
                )
            # dot-1's fact (with its review day) and dot-2's (from a producer before
            # closed_on), both recorded at the same instant; ca-nam has none.
            for payload in (_close("dot-1", "2022-07-14"), _close("dot-2", None)):
                await connection.execute(
                    sa.text(
                        "INSERT INTO fact_events "
                        "(event_id, campaign_code, event_type, payload, occurred_at) "
                        "VALUES (:id, '2022', :type, CAST(:payload AS JSON), :at)"
                    ),
                    {
                        "id": uuid4(),
                        "type": PhaseClosed.event_type,
                        "payload": json.dumps(payload),
                        "at": RECORDED,
                    },
                )
        await asyncio.to_thread(upgrade_to_head, "services.scoring", url)
        async with engine.connect() as connection:
            rows = (
                await connection.execute(
                    sa.text(
                        "SELECT phase_code, campaign_closed_at, closed_on FROM closed_phases "
                        "ORDER BY phase_code"
                    )
                )
            ).all()
    finally:
        await engine.dispose()
    assert [tuple(r) for r in rows] == [
        ("ca-nam", None, None),  # no fact: its recording time stands in, as before
        ("dot-1", ON_THE_CAMPAIGNS_CLOCK, date(2022, 7, 14)),
        ("dot-2", ON_THE_CAMPAIGNS_CLOCK, None),  # judged on closed_at's day, as the event says
    ]
