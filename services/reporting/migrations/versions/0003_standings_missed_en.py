"""standings' reasons in English: as the refresher computes them and as scoring's
standing.published carries them since contracts 1.2

Revision ID: 0003_standings_missed_en
Revises: 0002_audit_log
Create Date: 2026-12-07 00:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_standings_missed_en"
down_revision: str | None = "0002_audit_log"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("standings", "closed_standings")


def upgrade() -> None:
    # Nullable: a row written before has its Vietnamese reasons only, read back when shown.
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("missed_en", sa.JSON(), nullable=True))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("missed_en")
