"""Where the document and its page are written.

The document (docs/asyncapi.yaml) is the contract and is committed. The page
(docs/asyncapi.html) is a build output of it, as a wheel is of the code: `make asyncapi` and
`make run` write it and git ignores it, so it is never stale and never a second copy to review.
"""

from pathlib import Path

from shared.contracts.asyncapi.document import build_document
from shared.contracts.asyncapi.render import render_page

DOCS = Path(__file__).resolve().parents[3] / "docs"
DOCUMENT = DOCS / "asyncapi.yaml"
PAGE = DOCS / "asyncapi.html"


def write_page() -> Path:
    """Render the page of the document the code makes, which `make asyncapi-check` holds
    equal to the committed docs/asyncapi.yaml (`make run` links it)."""
    PAGE.write_text(render_page(build_document()), encoding="utf-8")
    return PAGE
