"""Serving an app with uvicorn, the same way for every service and the portal."""

from typing import Any

import uvicorn

# h11, whatever else is installed: it refuses (400) a request whose line and headers are still
# incomplete past 16 KiB, where httptools, which uvicorn would otherwise prefer, gathers headers
# of any size in memory (2 MB of them answered 200); the body caps (shared.http.body_limit) do
# not cover headers.
HTTP_PARSER = "h11"


def serve(app: Any, host: str, port: int, **options: Any) -> None:
    """Run `app` until the process is told to stop; our logging, no access log."""
    uvicorn.run(
        app, host=host, port=port, http=HTTP_PARSER, log_config=None, access_log=False, **options
    )
