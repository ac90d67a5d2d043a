"""A list's page, asked for the same way on every route: `limit` (with the route's default,
at most `PAGE_MAX`, or `ROWS_PAGE_MAX` for lists of short rows) and `offset`.

A listing route takes `page: PageQuery` (or `RowsPageQuery`) and applies it with
`page.of(query)`: the two query parameters, their defaults, bounds and descriptions are
declared here once, not restated in each route's signature."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Query
from sqlalchemy.orm import Mapped
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import GenerativeSelect
from sqlmodel import func, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

from shared.contracts.bounds import PAGE_MAX, ROWS_PAGE_MAX

_Query = TypeVar("_Query", bound=GenerativeSelect)
_Item = TypeVar("_Item")
_Row = TypeVar("_Row")


def limit_query(default: int, most: int = PAGE_MAX) -> Any:
    """`limit: int = limit_query(50)`: how many items a page holds (for a list that is not
    paged further, with no `offset`)."""
    return Query(default=default, ge=1, le=most, description=f"Items on a page, 1 to {most}.")


_Offset = Annotated[int, Query(ge=0, description="Items skipped before the page.")]


@dataclass(frozen=True, slots=True)
class Page:
    """The page a request asked for: `limit` items after the first `offset`."""

    limit: int
    offset: int

    def of(self, query: _Query) -> _Query:
        """`query` cut to this page (it should be ordered, so that pages do not overlap)."""
        return query.offset(self.offset).limit(self.limit)

    def cut(self, items: Sequence[_Item]) -> Sequence[_Item]:
        """This page of a list already read (one filtered in Python, after the query)."""
        return items[self.offset : self.offset + self.limit]


async def counted(
    session: AsyncSession,
    query: SelectOfScalar[_Row],
    order_by: ColumnElement[Any] | Mapped[Any],
    page: Page,
) -> tuple[Sequence[_Row], int]:
    """A page of `query`'s rows in `order_by`'s order, and how many rows it has in all."""
    total = await session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = (await session.exec(page.of(query.order_by(order_by)))).all()
    return rows, total


def paging(default: int, most: int = PAGE_MAX) -> Any:
    """The dependency reading `?limit=&offset=` into a `Page`: `default` items, at most
    `most` (`page: Annotated[Page, paging(20)]` where a list's default is its own)."""

    async def page(limit: int = limit_query(default, most), offset: _Offset = 0) -> Page:
        return Page(limit=limit, offset=offset)

    return Depends(page)


# `?limit=` (50 by default, at most PAGE_MAX) and `?offset=` as one parameter.
PageQuery = Annotated[Page, paging(50)]
# The same for lists of short rows: 100 by default, at most ROWS_PAGE_MAX.
RowsPageQuery = Annotated[Page, paging(100, ROWS_PAGE_MAX)]

__all__ = [
    "PAGE_MAX",
    "ROWS_PAGE_MAX",
    "Page",
    "PageQuery",
    "RowsPageQuery",
    "counted",
    "limit_query",
    "paging",
]
