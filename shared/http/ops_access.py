"""Who may read the operations endpoints: `/docs`, `/redoc`, `/openapi.json` (the API's
description) and `/metrics` (Prometheus), each open, behind a token or off (issue 14).

Set by `THIDUA_DOCS` and `THIDUA_METRICS` (shared.settings.DeploymentSettings): open in
development; in production the docs are off and the metrics need `Authorization: Bearer
<THIDUA_OPS_TOKEN>` (Prometheus's `authorization` in a scrape config) unless told otherwise.
An off endpoint answers 404, as if it did not exist. `/health` and `/ready` stay open: the
orchestrator's probes carry no token, and they say nothing but "up".

Middleware, not route dependencies: FastAPI's docs routes are added by FastAPI itself, outside
any router a service declares, and the check must run before them.
"""

import hmac

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from shared.http.errors import client_error
from shared.settings import DeploymentSettings, OpsAccess

DOCS_PATHS = frozenset({"/docs", "/docs/oauth2-redirect", "/redoc", "/openapi.json"})
METRICS_PATHS = frozenset({"/metrics"})
OPS_PATHS = DOCS_PATHS | METRICS_PATHS


def _not_found() -> JSONResponse:
    error = client_error(
        "(path)", "not_found", "Không tìm thấy địa chỉ này", "There is nothing at this address"
    )
    return JSONResponse({"errors": [error]}, status_code=404)


def _token_needed() -> JSONResponse:
    error = client_error(
        "authorization",
        "ops_token_required",
        "Cần mã truy cập vận hành (THIDUA_OPS_TOKEN) để xem địa chỉ này",
        "This address needs the operations token (THIDUA_OPS_TOKEN) as a bearer token",
    )
    return JSONResponse(
        {"errors": [error]}, status_code=401, headers={"WWW-Authenticate": "Bearer"}
    )


class OpsAccessMiddleware:
    def __init__(self, app: ASGIApp, *, deployment: DeploymentSettings) -> None:
        self.app = app
        self._docs = deployment.docs_access
        self._metrics = deployment.metrics_access
        token = deployment.ops_token.get_secret_value() if deployment.ops_token else ""
        self._expected = f"Bearer {token}".encode() if token else None

    def _access(self, path: str) -> OpsAccess:
        if path in DOCS_PATHS:
            return self._docs
        if path in METRICS_PATHS:
            return self._metrics
        return OpsAccess.OPEN

    def _has_token(self, scope: Scope) -> bool:
        if self._expected is None:
            return False  # token mode without a token never starts (DeploymentSettings.problems)
        sent = dict(scope["headers"]).get(b"authorization", b"")
        return hmac.compare_digest(sent, self._expected)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            access = self._access(scope["path"])
            if access is OpsAccess.OFF:
                await _not_found()(scope, receive, send)
                return
            if access is OpsAccess.TOKEN and not self._has_token(scope):
                await _token_needed()(scope, receive, send)
                return
        await self.app(scope, receive, send)
