"""Submissions' table base: its own registry, so its metadata holds only its tables."""

from sqlmodel import SQLModel

from shared.db import service_registry
from shared.http.idempotency import add_idempotency_table
from shared.messaging.tables import add_messaging_tables


class SubmissionsTable(SQLModel, registry=service_registry()):
    pass


metadata = SubmissionsTable.metadata
messaging = add_messaging_tables(metadata)
idempotency_keys = add_idempotency_table(metadata)
