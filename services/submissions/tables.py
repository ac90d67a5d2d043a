"""Every table of submissions, for Alembic and tests: importing this registers them all."""

from services.submissions.db import messaging, metadata
from services.submissions.initiatives import tables as initiatives

__all__ = ["initiatives", "messaging", "metadata"]
