"""audit log: every change and every refusal, who, when and from where (issue 14)

Revision ID: 0002_audit_log
Revises: 0001
Create Date: 2026-12-06 00:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_audit_log"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The same table in every service (shared.audit_tables.add_audit_table).
    op.create_table(
        "audit_log",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("campaign_time", sa.DateTime(timezone=True), nullable=True),
        sa.Column("subject", sa.String(length=100), nullable=True),
        sa.Column("roles", sa.JSON(), nullable=False),
        sa.Column("unit_code", sa.String(length=100), nullable=True),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("route", sa.String(length=300), nullable=True),
        sa.Column("path", sa.String(length=2000), nullable=False),
        sa.Column("target_id", sa.String(length=300), nullable=True),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=True),
        sa.Column("client_address", sa.String(length=100), nullable=True),
        sa.Column("user_agent", sa.String(length=300), nullable=True),
        sa.Column("trace_id", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index("ix_audit_log_recorded_at", ["recorded_at"], unique=False)
        batch_op.create_index("ix_audit_log_subject", ["subject"], unique=False)
        batch_op.create_index("ix_audit_log_target_id", ["target_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_log_target_id")
        batch_op.drop_index("ix_audit_log_subject")
        batch_op.drop_index("ix_audit_log_recorded_at")
    op.drop_table("audit_log")
