"""The columns in which more than one service keeps the same event: declared once, with the
contract's bounds, so that the copies cannot drift apart (a longer name accepted by one and cut
by the other).

Each service still has its own table, in its own database and migrations: a table class
inherits the columns (`class UnitView(ReportingTable, UnitColumns, table=True)`) and adds its
own. These bases are not tables.
"""

from typing import Any
from uuid import UUID

from sqlalchemy import JSON
from sqlmodel import Field, SQLModel

from shared.contracts import bounds


class UnitColumns(SQLModel):
    """A unit of the union tree, as `unit recorded` gives it."""

    code: str = Field(primary_key=True, max_length=bounds.CODE_MAX)
    name: str = Field(max_length=bounds.NAME_MAX)
    parent_code: str | None = Field(default=None, max_length=bounds.CODE_MAX)
    level: str = Field(max_length=bounds.VOCABULARY_MAX)
    path: str = Field(max_length=bounds.PATH_MAX)


class CampaignFileColumns(SQLModel):
    """A campaign file as `campaign published` gives it, whole."""

    code: str = Field(primary_key=True, max_length=bounds.CAMPAIGN_CODE_MAX)
    definition: dict[str, Any] = Field(sa_type=JSON)


class InitiativeColumns(SQLModel):
    """Which initiative, where it was submitted, and what it is called: what a list of
    initiatives shows of `initiative submitted`."""

    initiative_id: UUID = Field(primary_key=True)
    campaign_code: str = Field(max_length=bounds.CAMPAIGN_CODE_MAX, index=True)
    phase_code: str = Field(max_length=bounds.CODE_MAX)
    unit_code: str = Field(max_length=bounds.CODE_MAX, index=True)
    title: str = Field(max_length=bounds.TITLE_MAX)
    field: str = Field(max_length=bounds.CODE_MAX)
