"""author order: an initiative's authors keep the order they were given in (the first is the
main author, as the registration form lists them); they came back in the database's order

Revision ID: 0003_author_order
Revises: 0002_audit_log
Create Date: 2026-12-07 00:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_author_order"
down_revision: str | None = "0002_audit_log"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Rows kept before it are 0 (then read by member id): their order was never kept.
    with op.batch_alter_table("initiative_authors", schema=None) as batch_op:
        batch_op.add_column(sa.Column("position", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("initiative_authors", schema=None) as batch_op:
        batch_op.drop_column("position")
