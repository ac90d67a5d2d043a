"""`make run`'s databases: PostgreSQL's by default, named once per .run (where the broker keeps
its data), so that a fresh .run never starts on the state another stack left on the server."""

from pathlib import Path
from types import ModuleType

import pytest

from tests.support.run_local import load_run_local


@pytest.fixture
def run_local(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> ModuleType:
    module = load_run_local()
    monkeypatch.setattr(module, "RUN", tmp_path / ".run")
    monkeypatch.setattr(module, "DATABASES_FILE", tmp_path / ".run" / "databases.json")
    return module


def test_a_stacks_databases_are_named_once_per_run_folder(
    run_local: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("THIDUA_DATABASE", raising=False)
    first = run_local.stack_databases()
    assert first["kind"] == "postgres" and set(first["names"]) == set(run_local.SERVICES)
    assert run_local.stack_databases() == first  # the next start: the same databases
    run_local.DATABASES_FILE.unlink()  # a fresh .run: a new clone, or `make clean`
    again = run_local.stack_databases()["names"]
    assert set(again.values()).isdisjoint(first["names"].values())
    # Names postgres.sh accepts: lower case, digits and underscores, within 63 bytes.
    assert all(name.isascii() and name.islower() and len(name) <= 63 for name in again.values())


def test_sqlite_is_an_opt_in_kept_by_the_stack(
    run_local: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("THIDUA_DATABASE", "sqlite")
    urls = run_local.database_urls(run_local.stack_databases())
    assert all(url.startswith("sqlite+aiosqlite:///") for url in urls.values())
    # Started on SQLite, the stack stays on it: its broker's data goes with those files.
    monkeypatch.setenv("THIDUA_DATABASE", "postgres")
    assert run_local.stack_databases() == {"kind": "sqlite"}


@pytest.mark.parametrize(
    ("left", "kind", "names"),
    [
        ("data/submissions.sqlite3", "sqlite", None),  # SQLite was make run's default
        ("kafka-9092/meta.properties", "postgres", "thidua_submissions"),  # the older names
    ],
)
def test_a_run_folder_from_before_goes_on_as_it_was(
    run_local: ModuleType,
    monkeypatch: pytest.MonkeyPatch,
    left: str,
    kind: str,
    names: str | None,
) -> None:
    """New databases beside a broker that kept the older stack's events (and its consumers'
    offsets) made a demo that never caught up."""
    monkeypatch.delenv("THIDUA_DATABASE", raising=False)
    kept = run_local.RUN / left
    kept.parent.mkdir(parents=True)
    kept.touch()
    stack = run_local.stack_databases()
    assert stack["kind"] == kind
    assert stack.get("names", {}).get("submissions") == names


@pytest.mark.parametrize("older", [False, True])
def test_clean_drops_only_databases_named_for_the_stack(
    run_local: ModuleType, monkeypatch: pytest.MonkeyPatch, older: bool
) -> None:
    """The older names (thidua_<service>) are shared by every checkout from before: dropping
    them would cut another checkout's stack off."""
    monkeypatch.delenv("THIDUA_DATABASE", raising=False)
    if older:
        (run_local.RUN / "kafka-9092").mkdir(parents=True)
    names = list(run_local.stack_databases()["names"].values())
    calls: list[tuple[str, ...]] = []

    def script(*args: str) -> list[str]:
        calls.append(args)
        return []

    monkeypatch.setattr(run_local, "script", script)
    run_local.clean()
    drops = [call[1:] for call in calls if call[0] == "postgres.sh" and call[1] == "drop-db"]
    assert drops == ([] if older else [("drop-db", *names)])
    assert ("kafka.sh", "stop") in calls  # stopped before its folder goes
    assert not run_local.RUN.exists()
