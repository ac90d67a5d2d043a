"""A list's page, asked for the same way on every route: `limit` (with the route's default,
at most `PAGE_MAX`, or `ROWS_PAGE_MAX` for lists of short rows) and `offset`."""

from typing import Annotated, Any

from fastapi import Query

from shared.contracts.bounds import PAGE_MAX, ROWS_PAGE_MAX


def limit_query(default: int, most: int = PAGE_MAX) -> Any:
    """`limit: int = limit_query(50)`: how many items a page holds."""
    return Query(default=default, ge=1, le=most, description=f"Items on a page, 1 to {most}.")


Offset = Annotated[int, Query(ge=0, description="Items skipped before the page.")]
"""`offset: Offset = 0`."""

__all__ = ["PAGE_MAX", "ROWS_PAGE_MAX", "Offset", "limit_query"]
