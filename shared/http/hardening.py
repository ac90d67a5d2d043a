"""The HTTP protections every app of the project installs in one call (issue 14): request
bodies capped before they are read, `/docs`, `/openapi.json` and `/metrics` open, behind a
token or off as the deployment says, and the security headers on every response.

    from shared.http.hardening import install_http_hardening
    install_http_hardening(app, load_deployment_settings())

Call it after the app's other middleware: Starlette runs the last added outermost, so the
headers reach every answer, the refusals of the two checks included.
"""

from fastapi import FastAPI

from shared.http.body_limit import BodySizeLimitMiddleware
from shared.http.ops_access import OpsAccessMiddleware
from shared.http.security_headers import DOCS_PAGES, SecurityHeadersMiddleware
from shared.settings import DeploymentSettings, OpsAccess


def install_http_hardening(app: FastAPI, deployment: DeploymentSettings) -> None:
    app.add_middleware(
        BodySizeLimitMiddleware,
        max_file_bytes=deployment.max_body_bytes,
        max_text_bytes=deployment.max_text_body_bytes,
    )
    app.add_middleware(OpsAccessMiddleware, deployment=deployment)
    docs_open = deployment.docs_access is not OpsAccess.OFF
    app.add_middleware(
        SecurityHeadersMiddleware,
        # Swagger UI's looser policy only where it is served.
        docs_paths=DOCS_PAGES if docs_open else (),
        https_only=deployment.is_production,
    )
