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


def test_a_stacks_databases_are_named_once_per_run_folder(run_local: ModuleType) -> None:
    first = run_local.database_names()
    assert set(first) == set(run_local.SERVICES)
    assert run_local.database_names() == first  # the next start: the same databases
    run_local.DATABASES_FILE.unlink()  # a fresh .run: a new clone, or `make clean`
    again = run_local.database_names()
    assert set(again.values()).isdisjoint(first.values())
    # Names postgres.sh accepts: lower case, digits and underscores, within 63 bytes.
    assert all(name.isascii() and name.islower() and len(name) <= 63 for name in again.values())


def test_sqlite_is_an_opt_in(run_local: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("THIDUA_DATABASE", "sqlite")
    urls = run_local.database_urls()
    assert all(url.startswith("sqlite+aiosqlite:///") for url in urls.values())
    assert not run_local.DATABASES_FILE.exists()
