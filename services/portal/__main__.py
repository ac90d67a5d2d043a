"""`python -m services.portal`: the web front end on PORTAL_HTTP_HOST:PORTAL_HTTP_PORT (8005)."""

import sys

import uvicorn

from services.portal.app import create_app
from services.portal.config import PortalSettings
from shared.logs import configure_logging


def main() -> None:
    settings = PortalSettings()
    configure_logging("portal", settings.log_level)
    problems = settings.problems()
    if problems:
        sys.exit("portal: refusing to start: " + "; ".join(problems))
    uvicorn.run(
        create_app(settings),
        host=settings.http_host,
        port=settings.http_port,
        log_config=None,
        access_log=False,
        # Behind a proxy (compose, the Helm chart's ingress) the scheme and client it saw.
        proxy_headers=True,
    )


if __name__ == "__main__":
    main()
