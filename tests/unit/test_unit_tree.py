"""A unit's subtree is said once (shared.unit_tree): a path prefix, in Python and in SQL, and
the two agree; every service that scopes by the tree asks it."""

import pytest
from sqlalchemy import Column, MetaData, String, Table, create_engine, insert, select

from shared.unit_tree import child_path, path_codes, within, within_where

FEDERATION = child_path("", "CDDKVN")
PVGAS = child_path(FEDERATION, "PVGAS")
PATHS = [
    FEDERATION,
    PVGAS,
    child_path(PVGAS, "PVGAS-KCM"),
    child_path(FEDERATION, "PVGAS2"),  # shares "PVGAS" as text, not as a unit
    child_path(FEDERATION, "BSR"),
]


def _selected_in_sql(paths: list[str], root: str) -> list[str]:
    """The paths `within_where` selects from a table holding `paths`."""
    units = Table("units", MetaData(), Column("path", String, primary_key=True))
    with create_engine("sqlite://").begin() as connection:
        units.create(connection)
        connection.execute(insert(units), [{"path": path} for path in paths])
        query = select(units.c.path).where(within_where(units.c.path, root))
        return sorted(connection.execute(query).scalars())


def test_a_path_is_the_codes_from_the_federation_down_each_ending_with_a_slash() -> None:
    assert PATHS[2] == "CDDKVN/PVGAS/PVGAS-KCM/"
    assert path_codes(PATHS[2]) == ["CDDKVN", "PVGAS", "PVGAS-KCM"]
    assert path_codes("") == []


@pytest.mark.parametrize(
    ("root", "expected"),
    [
        ("", PATHS),  # the whole tree
        (FEDERATION, PATHS),
        (PVGAS, ["CDDKVN/PVGAS/", "CDDKVN/PVGAS/PVGAS-KCM/"]),
        ("CDDKVN/PVGAS/PVGAS-KCM/", ["CDDKVN/PVGAS/PVGAS-KCM/"]),
        ("\0", []),  # no unit
    ],
)
def test_a_subtree_is_its_root_and_every_unit_below_in_python_and_in_sql(
    root: str, expected: list[str]
) -> None:
    assert [path for path in PATHS if within(path, root)] == expected
    assert _selected_in_sql(PATHS, root) == sorted(expected)


def test_in_sql_a_like_wildcard_in_a_path_is_a_letter() -> None:
    paths = ["A_B/", "AXB/", "A%/"]
    for root, expected in [("A_B/", ["A_B/"]), ("A%/", ["A%/"])]:
        assert _selected_in_sql(paths, root) == expected
        assert [path for path in paths if within(path, root)] == expected
