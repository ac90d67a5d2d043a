"""Every test module stands alone (issue 17, point 5): none imports another test module, whose
helpers and fixtures would then change under it. What tests share lives in tests/support/, in
the helper modules beside them (tests/unit/*_helpers.py and the like) and, for fixtures, in a
conftest.py, which pytest finds without an import."""

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]


def _is_test_module(dotted: str) -> bool:
    return dotted.rsplit(".", 1)[-1].startswith("test_")


def imports_of_test_modules(source: str) -> list[str]:
    """The modules named `test_*` that `source` imports, each as written."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if _is_test_module(alias.name)]
        elif isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            if node.module and _is_test_module(node.module):
                found.append(module)
            found += [
                f"{module}.{alias.name}".replace("..", ".")
                for alias in node.names
                if _is_test_module(alias.name)
            ]
    return found


def test_the_check_finds_each_way_of_importing_a_test_module() -> None:
    source = (
        "from tests.unit.test_portal import sign_in\n"
        "import tests.integration.test_vnd_sums\n"
        "from tests.unit import test_bounds\n"
        "from .test_clock import FixedClock\n"
        "from tests.unit.portal_helpers import sign_in\n"
        "from tests.support import routes\n"
    )
    assert imports_of_test_modules(source) == [
        "tests.unit.test_portal",
        "tests.integration.test_vnd_sums",
        "tests.unit.test_bounds",
        ".test_clock",
    ]


def test_no_test_module_imports_another() -> None:
    offending = [
        f"{path.relative_to(TESTS.parent)}: {name}"
        for path in sorted(TESTS.rglob("*.py"))
        for name in imports_of_test_modules(path.read_text("utf-8"))
    ]
    assert offending == [], "move what is shared to tests/support/ or a conftest.py"
