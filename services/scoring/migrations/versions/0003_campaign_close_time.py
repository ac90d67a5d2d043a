"""campaign close time: a closed phase keeps when it closed on the campaign's clock, which its
proposals and standings are as of, and the campaign day it closed, which its rules are judged on (they were stamped with the close's recording time, years
after a simulated year's confirmations, and reporting kept the proposal as the newest word)

Revision ID: 0003_campaign_close_time
Revises: 0002_audit_log
Create Date: 2026-12-07 00:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0003_campaign_close_time"
down_revision: str | None = "0002_audit_log"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Nullable: a close kept before this revision goes on with its recording time.
    with op.batch_alter_table("closed_phases", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("campaign_closed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
        # The campaign day it closed (the review day), which its rules are judged on.
        batch_op.add_column(sa.Column("closed_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("closed_phases", schema=None) as batch_op:
        batch_op.drop_column("closed_on")
        batch_op.drop_column("campaign_closed_at")
