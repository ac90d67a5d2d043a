"""Reporting's read models."""

from datetime import datetime

from sqlalchemy import BigInteger
from sqlmodel import Field, SQLModel

from shared.db import service_registry
from shared.messaging.tables import add_messaging_tables


class ReportingTable(SQLModel, registry=service_registry()):
    pass


class UnitInitiativeCount(ReportingTable, table=True):
    """Initiatives submitted per campaign and unit, with their expected benefit."""

    __tablename__ = "unit_initiative_counts"

    campaign_code: str = Field(primary_key=True, max_length=20)
    unit_code: str = Field(primary_key=True, max_length=50)
    submitted: int = 0
    expected_benefit_vnd: int = Field(default=0, sa_type=BigInteger)
    last_event_at: datetime


metadata = ReportingTable.metadata
messaging = add_messaging_tables(metadata)
