"""`python -m shared.contracts.asyncapi [--check]`: write (or check) docs/asyncapi.yaml and
its rendered page docs/asyncapi.html from the code.

--check writes nothing and exits 1, naming the file, when a committed file differs from a
fresh generation (regenerate with `make asyncapi` and commit both).
"""

import argparse
import sys
from pathlib import Path

from shared.contracts.asyncapi.document import build_document
from shared.contracts.asyncapi.render import render_page
from shared.contracts.asyncapi.serialise import to_yaml

DOCS = Path(__file__).resolve().parents[3] / "docs"


def generated() -> dict[Path, str]:
    document = build_document()
    return {
        DOCS / "asyncapi.yaml": to_yaml(document),
        DOCS / "asyncapi.html": render_page(document),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m shared.contracts.asyncapi")
    parser.add_argument("--check", action="store_true", help="compare, write nothing")
    arguments = parser.parse_args(argv)
    stale = []
    for path, text in generated().items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        if arguments.check:
            stale.append(path)
        else:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(DOCS.parent)}")
    for path in stale:
        print(
            f"{path.relative_to(DOCS.parent)} differs from a fresh generation: run "
            "`make asyncapi` and commit it",
            file=sys.stderr,
        )
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
