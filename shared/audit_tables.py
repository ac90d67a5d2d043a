"""The audit trail's table, added to each service's own metadata (as the outbox is, by
`shared.messaging.tables.add_messaging_tables`): who did what, when and from where, one row per
state-changing request and per refusal (issue 14, point 7). Written by shared.http.audit.

Defined with SQLAlchemy Core, one copy per service's metadata. `info["kept_by_rebuild"]`: a
rebuild empties the read models it can replay from the topics; the audit cannot be replayed.
"""

from sqlalchemy import JSON, Column, DateTime, Index, Integer, MetaData, String, Table

from shared.contracts import bounds
from shared.db import serial_id

AUDIT_TABLE = "audit_log"

# Lengths from the stated bounds (tests/unit/test_bounds.py checks every column against them).
SUBJECT_MAX = bounds.SUBJECT_MAX
METHOD_MAX = bounds.VOCABULARY_MAX
ROUTE_MAX = bounds.NAME_MAX
PATH_MAX = bounds.URL_MAX
TARGET_MAX = bounds.NAME_MAX
AGENT_MAX = bounds.NAME_MAX


def add_audit_table(metadata: MetaData) -> Table:
    """The audit table of `metadata`: added once, the same one after."""
    if AUDIT_TABLE in metadata.tables:
        return metadata.tables[AUDIT_TABLE]
    return Table(
        AUDIT_TABLE,
        metadata,
        # Newest first is id descending: ids grow with time.
        serial_id(),
        # When: the machine's time (UTC), and the campaign's clock (a simulated year's).
        Column("recorded_at", DateTime(timezone=True), nullable=False),
        Column("campaign_time", DateTime(timezone=True), nullable=True),
        # Who: the token's subject, roles and unit (none without a valid token).
        Column("subject", String(SUBJECT_MAX), nullable=True),
        Column("roles", JSON, nullable=False),
        Column("unit_code", String(SUBJECT_MAX), nullable=True),
        # What: the route's template and the path, the thing acted on, the answer, the fields
        # the body set (secrets redacted, files named only).
        Column("method", String(METHOD_MAX), nullable=False),
        Column("route", String(ROUTE_MAX), nullable=True),
        Column("path", String(PATH_MAX), nullable=False),
        Column("target_id", String(TARGET_MAX), nullable=True),
        Column("status", Integer, nullable=False),
        Column("fields", JSON, nullable=True),
        # From where: the client's address, its user agent, the request's trace.
        Column("client_address", String(SUBJECT_MAX), nullable=True),
        Column("user_agent", String(AGENT_MAX), nullable=True),
        Column("trace_id", String(bounds.SHA256_HEX), nullable=True),
        Index("ix_audit_log_subject", "subject"),
        Index("ix_audit_log_target_id", "target_id"),
        Index("ix_audit_log_recorded_at", "recorded_at"),
        info={"kept_by_rebuild": True},
    )
