"""The portal is a deployable of its own: it talks to the services over their APIs and shares
only `shared` with them, never their code."""

import ast
from pathlib import Path

PORTAL = Path(__file__).resolve().parents[2] / "services" / "portal"
OTHER_SERVICES = ("submissions", "scoring", "notifications", "reporting")


def imported_modules(source: Path) -> set[str]:
    tree = ast.parse(source.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_the_portal_imports_no_other_services_code() -> None:
    modules = list(PORTAL.rglob("*.py"))
    assert len(modules) > 10
    crossing = {
        f"{path.relative_to(PORTAL)}: {name}"
        for path in modules
        for name in imported_modules(path)
        if name.startswith(tuple(f"services.{service}" for service in OTHER_SERVICES))
    }
    assert crossing == set()
