"""Every table of submissions, for Alembic and tests: importing this registers them all."""

from services.submissions.campaigns import tables as campaigns
from services.submissions.db import idempotency_keys, messaging, metadata
from services.submissions.initiatives import tables as initiatives
from services.submissions.registrations import tables as registrations
from services.submissions.reports import tables as reports
from services.submissions.units import tables as units

__all__ = [
    "campaigns",
    "idempotency_keys",
    "initiatives",
    "messaging",
    "metadata",
    "registrations",
    "reports",
    "units",
]
