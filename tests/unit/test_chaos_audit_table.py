"""The chaos run's verdict table: each check's counts under their columns, in Row's order."""

from tests.chaos.audit import Audit
from tests.chaos.load import Outcome


def test_the_table_shows_each_checks_counts_under_row_columns() -> None:
    audit = Audit()
    audit.count("initiatives", Outcome.ACKED, 0, "lost one")
    audit.count("initiatives", Outcome.ACKED, 3, "doubled one")
    audit.compare("tallies", expected=5, found=3, what="PVGAS")
    audit.agree("units", "PVGAS", "PVGAS", "name")

    head, rule, *rows = audit.table().splitlines()[:5]
    assert head.split() == ["check", "checked", "acked", "lost", "doubled", "wrong"]
    assert set(rule) == {"-"}
    assert [row.split() for row in rows] == [
        ["initiatives", "2", "2", "1", "2", "0"],
        ["tallies", "1", "5", "2", "0", "0"],
        ["units", "1", "0", "0", "0", "0"],
    ]
    assert audit.failed


def test_a_clean_run_does_not_fail() -> None:
    audit = Audit()
    audit.count("initiatives", Outcome.ACKED, 1, "kept")
    audit.count("initiatives", Outcome.REFUSED, 0, "refused, not done")
    assert not audit.failed
