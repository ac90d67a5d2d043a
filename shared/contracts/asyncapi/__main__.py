"""`python -m shared.contracts.asyncapi [--check]`: write (or check) docs/asyncapi.yaml and
its rendered page docs/asyncapi.html from the code.

--check writes nothing and exits 1 when the committed document differs from a fresh
generation (regenerate with `make asyncapi` and commit it). The page is a build output, not
committed (`shared.contracts.asyncapi.files`).
"""

import argparse
import sys

from shared.contracts.asyncapi.document import build_document
from shared.contracts.asyncapi.files import DOCS, DOCUMENT, PAGE
from shared.contracts.asyncapi.render import render_page
from shared.contracts.asyncapi.serialise import to_yaml


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m shared.contracts.asyncapi")
    parser.add_argument("--check", action="store_true", help="compare, write nothing")
    arguments = parser.parse_args(argv)
    document = build_document()
    text = to_yaml(document)
    page = render_page(document)  # rendered on --check too: a document it cannot show fails
    current = DOCUMENT.read_text(encoding="utf-8") if DOCUMENT.exists() else None
    if arguments.check:
        if current == text:
            return 0
        print(
            f"{DOCUMENT.relative_to(DOCS.parent)} differs from a fresh generation: run "
            "`make asyncapi` and commit it",
            file=sys.stderr,
        )
        return 1
    if current != text:
        DOCUMENT.write_text(text, encoding="utf-8")
        print(f"wrote {DOCUMENT.relative_to(DOCS.parent)}")
    PAGE.write_text(page, encoding="utf-8")
    print(f"wrote {PAGE.relative_to(DOCS.parent)} (a build output, not committed)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
