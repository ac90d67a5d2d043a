"""deploy/local/run_local.py (`make run`'s script, not a package) loaded as a module, for the
tests of what it decides without starting anything."""

import importlib.util
from types import ModuleType

from tests.support.infrastructure import REPO


def load_run_local() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "run_local", REPO / "deploy" / "local" / "run_local.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
