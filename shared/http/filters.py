"""Query-string filters that several lists share, declared once: their parameters as the
OpenAPI shows them, and the conditions they put on a select."""

from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any, Protocol, TypeVar

from fastapi import Depends, Query
from sqlalchemy import ColumnElement, Select
from sqlmodel import col

from shared.http.dependencies import CampaignCodeQuery
from shared.http.errors import ClientError


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


def phase_status_filter(
    statuses: type[StrEnum],
) -> Callable[..., Coroutine[Any, Any, PhaseStatusFilter]]:
    """`?campaign_code=&phase_code=&status=` as one parameter, `status` one of `statuses`
    (the OpenAPI lists them; any other is a 422 naming `status` and the values it may take,
    where it used to list nothing, as if nothing had that status)."""
    allowed = [str(member) for member in statuses]
    described = Query(
        description=f"Only in this status: {', '.join(allowed)} (empty: any)",
        json_schema_extra={"enum": [*allowed, ""]},
    )

    async def phase_status(
        campaign_code: CampaignCodeQuery,
        phase_code: str | None = None,
        status: Annotated[str | None, described] = None,
    ) -> PhaseStatusFilter:
        if status and status not in allowed:
            asked = status if len(status) <= 40 else status[:40] + "…"  # said back, not echoed
            raise ClientError(
                422,
                "status",
                "unknown_status",
                f"Không có trạng thái «{asked}»; các trạng thái: {', '.join(allowed)}",
                f"No status '{asked}'; the statuses are: {', '.join(allowed)}",
            )
        return PhaseStatusFilter(campaign_code, phase_code, status)

    return phase_status


def equal_where_given(*asked: tuple[Any, object]) -> list[ColumnElement[bool]]:
    """`column == value` for each `(column, value)` whose value the request gives: None is a
    parameter left out, an empty value is asked for."""
    return [col(column) == value for column, value in asked if value is not None]


def moment_bound(moment: datetime) -> datetime:
    """A filter's bound in time (the audit's `from`/`to`, the inbox's `up_to`) in UTC, as the
    columns compare it. A moment a datetime holds only in its own offset (0001-01-01T00:00+01:00
    is 0000-12-31T23:00Z) is before (after) every record, so it is clamped to the first (last)
    UTC instant: the filter then selects exactly the rows it asked for, where refusing it would
    turn "since the beginning" into an error, and converting it overflowed into a 500."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)  # as the audit reads a bound without an offset
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        return (datetime.min if moment.year == datetime.min.year else datetime.max).replace(
            tzinfo=UTC
        )


# `?unit_code=` and `?phase_code=` on the lists that read an empty value as "any" (reporting's
# initiative counts, scoring's pending reviews, submissions' reports): an empty value narrows
# nothing, as an absent one (the portal sends its filter form's empty choice as it is). The
# initiatives list is the other kind: every filter given is asked for (`equal_where_given`).
_Query = TypeVar("_Query", bound=Select[*tuple[Any, ...]])


@dataclass(frozen=True, slots=True)
class CodeFilter:
    """The code a list was asked to show the rows of, if any."""

    code: str | None

    def narrow(self, query: _Query, column: Any) -> _Query:
        """`query` kept to the rows whose `column` holds the code asked for; all of them when
        none was (`column` is the table's attribute, `Report.phase_code`)."""
        return query.where(col(column) == self.code) if self.code else query


# The parameters keep the names, types and defaults they had in each route's signature, so
# the OpenAPI documents list them as before; a route takes its filter first, where FastAPI
# listed a parameter of its own, before those of its other dependencies.
async def _unit_code(unit_code: str | None = None) -> CodeFilter:
    return CodeFilter(unit_code)


async def _phase_code(phase_code: str | None = None) -> CodeFilter:
    return CodeFilter(phase_code)


# `?unit_code=`: one unit's rows (not its subtree's).
UnitCodeFilter = Annotated[CodeFilter, Depends(_unit_code)]
# `?phase_code=`: one phase's rows.
PhaseCodeFilter = Annotated[CodeFilter, Depends(_phase_code)]
