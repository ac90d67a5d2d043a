"""Query-string filters that several lists share, declared once: their parameters as the
OpenAPI shows them, and the conditions they put on a select."""

from dataclasses import dataclass
from typing import Annotated, Any, Protocol

from fastapi import Depends
from sqlalchemy import ColumnElement
from sqlmodel import col

from shared.http.dependencies import CampaignCodeQuery


class _PhasedRow(Protocol):
    campaign_code: str
    phase_code: str
    status: str


@dataclass(frozen=True, slots=True)
class PhaseStatusFilter:
    """One campaign's rows; of one phase, and in one status, when the request asks (an empty
    `?phase_code=` or `?status=` asks for none)."""

    campaign_code: str
    phase_code: str | None
    status: str | None

    def conditions(self, table: type[_PhasedRow]) -> list[ColumnElement[bool]]:
        asked = [col(table.campaign_code) == self.campaign_code]
        if self.phase_code:
            asked.append(col(table.phase_code) == self.phase_code)
        if self.status:
            asked.append(col(table.status) == self.status)
        return asked


async def _phase_status(
    campaign_code: CampaignCodeQuery, phase_code: str | None = None, status: str | None = None
) -> PhaseStatusFilter:
    return PhaseStatusFilter(campaign_code, phase_code, status)


# `?campaign_code=&phase_code=&status=` as one parameter.
PhaseStatusQuery = Annotated[PhaseStatusFilter, Depends(_phase_status)]


def equal_where_given(*asked: tuple[Any, object]) -> list[ColumnElement[bool]]:
    """`column == value` for each `(column, value)` whose value the request gives: None is a
    parameter left out, an empty value is asked for."""
    return [col(column) == value for column, value in asked if value is not None]
