"""`python -m services.portal`: the web front end on PORTAL_HTTP_HOST:PORTAL_HTTP_PORT (8005)."""

import sys

from services.portal.app import create_app
from services.portal.config import PortalSettings
from shared.logs import configure_logging
from shared.serving import serve


def main() -> None:
    settings = PortalSettings()
    configure_logging("portal", settings.log_level)
    problems = settings.problems()
    if problems:
        sys.exit("portal: refusing to start: " + "; ".join(problems))
    serve(
        create_app(settings),
        settings.http_host,
        settings.http_port,
        # Behind a proxy (compose, the Helm chart's ingress) the scheme and client it saw.
        proxy_headers=True,
    )


if __name__ == "__main__":
    main()
