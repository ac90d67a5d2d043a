"""`?unit_code=` and `?phase_code=` on the lists that read an empty value as "any" (reporting's
initiative counts, scoring's pending reviews, submissions' reports): a list narrowed to one
unit's or one phase's rows, asked for and applied the same way.

An empty value narrows nothing, as an absent one: `?unit_code=` is the whole list (the
portal sends its filter form's empty choice as it is). The initiatives list is the other kind:
there every filter given is asked for, an empty one too (`shared.http.filters.equal_where_given`).
"""

from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from fastapi import Depends
from sqlalchemy import Select
from sqlmodel import col

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
