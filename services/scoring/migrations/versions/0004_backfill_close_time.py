"""backfill campaign close time: a close kept before 0003 takes its campaign time and review
day from the phase.closed fact scoring kept with it (the fact recorded at the close's
recording time), so its standings and proposals, when next computed, are as of the campaign's
clock too; a close with no such fact keeps its recording time, as before

Revision ID: 0004_backfill_close_time
Revises: 0003_campaign_close_time
Create Date: 2026-12-07 00:00:00
"""

from collections.abc import Sequence
from datetime import date, datetime

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import UTCDateTime

revision: str = "0004_backfill_close_time"
down_revision: str | None = "0003_campaign_close_time"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Written out, not imported: a migration stays what it was when the contracts move on.
PHASE_CLOSED = "vn.congdoandaukhi.thidua.phase.closed.v1"

closes = sa.table(
    "closed_phases",
    sa.column("campaign_code", sa.String),
    sa.column("phase_code", sa.String),
    sa.column("closed_at", UTCDateTime()),
    sa.column("campaign_closed_at", UTCDateTime()),
    sa.column("closed_on", sa.Date),
)
facts = sa.table(
    "fact_events",
    sa.column("campaign_code", sa.String),
    sa.column("event_type", sa.String),
    sa.column("payload", sa.JSON),
    sa.column("occurred_at", UTCDateTime()),
)


def upgrade() -> None:
    connection = op.get_bind()
    # The close's recording time is its phase.closed event's time, which the fact kept too.
    found = connection.execute(
        sa.select(closes.c.campaign_code, closes.c.phase_code, facts.c.payload)
        .join(
            facts,
            sa.and_(
                facts.c.event_type == PHASE_CLOSED,
                facts.c.campaign_code == closes.c.campaign_code,
                facts.c.occurred_at == closes.c.closed_at,
            ),
        )
        .where(closes.c.campaign_closed_at.is_(None))
    ).all()
    for campaign_code, phase_code, payload in found:
        if payload.get("phase_code") != phase_code:
            continue  # another phase of the campaign closed at the same instant
        closed_on = payload.get("closed_on")
        connection.execute(
            closes.update()
            .where(closes.c.campaign_code == campaign_code, closes.c.phase_code == phase_code)
            .values(
                campaign_closed_at=datetime.fromisoformat(payload["closed_at"]),
                closed_on=date.fromisoformat(closed_on) if closed_on else None,
            )
        )


def downgrade() -> None:
    pass  # the columns keep what they were given; 0003's downgrade drops them
