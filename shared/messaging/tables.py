"""The outbox and processed-event tables, added to each service's own metadata.

Defined with SQLAlchemy Core rather than as SQLModel classes because every service needs
its own copy in its own metadata; their shape is infrastructure, not domain.
"""

from dataclasses import dataclass

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    Uuid,
)

from shared.audit_tables import add_audit_table
from shared.db import serial_id


@dataclass(frozen=True)
class MessagingTables:
    outbox: Table
    processed_events: Table


def add_messaging_tables(metadata: MetaData) -> MessagingTables:
    outbox = Table(
        "outbox",
        metadata,
        # The id orders publication: the relay sends rows in the order they were written.
        serial_id(),
        Column("event_id", Uuid, nullable=False, unique=True),
        Column("event_type", String(200), nullable=False),
        Column("topic", String(200), nullable=False),
        Column("message_key", String(200), nullable=False),
        Column("headers", JSON, nullable=False),
        Column("payload", Text, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
        # NULL until the broker acknowledged it: the row's state is derived from this.
        Column("published_at", DateTime(timezone=True), nullable=True),
        Column("attempts", Integer, nullable=False, server_default="0"),
        Column("last_error", Text, nullable=True),
        Index("ix_outbox_published_at_id", "published_at", "id"),
    )
    processed_events = Table(
        "processed_events",
        metadata,
        Column("event_id", Uuid, primary_key=True),
        Column("event_type", String(200), nullable=False),
        Column("topic", String(200), nullable=False),
        Column("partition", Integer, nullable=False),
        Column("offset", BigInteger, nullable=False),
        Column("processed_at", DateTime(timezone=True), nullable=False),
    )
    # Every service keeps its own audit trail beside its outbox (shared.http.audit).
    add_audit_table(metadata)
    return MessagingTables(outbox=outbox, processed_events=processed_events)
