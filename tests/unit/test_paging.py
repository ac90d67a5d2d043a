"""A list's page (shared.http.paging): `?limit=&offset=` read into a `Page` by one dependency,
with the same defaults, bounds and descriptions on every route that takes it."""

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import String, column, select, table

from shared.http.paging import PAGE_MAX, ROWS_PAGE_MAX, Page, PageQuery, RowsPageQuery

app = FastAPI()


@app.get("/items")
async def items(page: PageQuery) -> dict[str, int]:
    return {"limit": page.limit, "offset": page.offset}


@app.get("/rows")
async def rows(page: RowsPageQuery) -> dict[str, int]:
    return {"limit": page.limit, "offset": page.offset}


def _parameters(path: str) -> dict[str, Any]:
    operation = app.openapi()["paths"][path]["get"]
    return {p["name"]: p for p in operation["parameters"]}


@pytest.mark.parametrize(
    ("path", "default", "most"), [("/items", 50, PAGE_MAX), ("/rows", 100, ROWS_PAGE_MAX)]
)
def test_the_openapi_shows_the_bounds_and_defaults(path: str, default: int, most: int) -> None:
    parameters = _parameters(path)
    assert set(parameters) == {"limit", "offset"}
    limit, offset = parameters["limit"], parameters["offset"]
    assert limit["in"] == offset["in"] == "query"
    assert not limit["required"] and not offset["required"]
    schema = limit["schema"]
    assert (schema["minimum"], schema["maximum"], schema["default"]) == (1, most, default)
    assert limit["description"] == f"Items on a page, 1 to {most}."
    assert offset["schema"]["minimum"] == 0 and offset["schema"]["default"] == 0
    assert offset["description"] == "Items skipped before the page."


def test_a_page_is_read_and_bounded() -> None:
    client = TestClient(app)
    assert client.get("/items").json() == {"limit": 50, "offset": 0}
    assert client.get("/rows?limit=7&offset=3").json() == {"limit": 7, "offset": 3}
    for asked in ("limit=0", f"limit={PAGE_MAX + 1}", "offset=-1"):
        assert client.get(f"/items?{asked}").status_code == 422, asked
    assert client.get(f"/rows?limit={ROWS_PAGE_MAX}").status_code == 200


def test_a_page_cuts_a_query() -> None:
    query = Page(limit=10, offset=20).of(select(column("code", String)).select_from(table("units")))
    sql = str(query.compile(compile_kwargs={"literal_binds": True}))
    assert sql.endswith("LIMIT 10 OFFSET 20")


def test_a_page_cuts_a_list_already_read_as_it_cuts_a_query() -> None:
    read = list(range(10))
    assert Page(limit=3, offset=4).cut(read) == [4, 5, 6]
    assert Page(limit=3, offset=9).cut(read) == [9]
    assert Page(limit=3, offset=12).cut(read) == []
