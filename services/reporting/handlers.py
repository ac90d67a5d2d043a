"""How reporting projects the events it consumes."""

from typing import Any

from sqlalchemy import Table, case
from sqlalchemy.ext.asyncio import AsyncSession

from services.reporting.tables import UnitInitiativeCount
from shared.contracts import InitiativeSubmitted
from shared.messaging.cloudevents import Envelope
from shared.upsert import upsert

_counts: Table = UnitInitiativeCount.__table__  # type: ignore[attr-defined]


async def count_submission(event: Envelope[InitiativeSubmitted], session: AsyncSession) -> None:
    initiative = event.data
    benefit = initiative.expected_benefit_vnd or 0
    current: Any = _counts.c
    await upsert(
        session,
        _counts,
        values={
            "campaign_code": initiative.campaign_code,
            "unit_code": initiative.unit_code,
            "submitted": 1,
            "expected_benefit_vnd": benefit,
            "last_event_at": event.time,
        },
        key=["campaign_code", "unit_code"],
        on_conflict={
            "submitted": current.submitted + 1,
            "expected_benefit_vnd": current.expected_benefit_vnd + benefit,
            # The newest event's time, whatever order the events arrive in.
            "last_event_at": case(
                (current.last_event_at > event.time, current.last_event_at), else_=event.time
            ),
        },
    )
