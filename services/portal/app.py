"""The portal's app: its pages, the session and CSRF guards, the pages for refusals and for a
service that does not answer, its stylesheet, /health and /ready."""

import contextlib
import logging
from collections.abc import AsyncIterator, Mapping
from pathlib import Path

import httpx
from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import FileResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from services.portal import session
from services.portal.client import (
    SIGN_IN_AGAIN,
    ServiceClients,
    ServiceUnavailable,
    SignInAgain,
    errors_of,
)
from services.portal.config import PortalSettings
from services.portal.csrf import CsrfRefused, csrf_guard
from services.portal.menu import MenuItem
from services.portal.pages import PAGES
from services.portal.web import PORTAL, PageRefused, language, redirect, render
from shared.auth import load_auth_settings
from shared.http.errors import ClientError
from shared.http.hardening import install_http_hardening
from shared.http.input_guard import refuse_unsafe_input
from shared.http.tracing import TraceMiddleware
from shared.settings import load_deployment_settings

log = logging.getLogger("thidua.portal")
STATIC = Path(__file__).parent / "static"

operations = APIRouter(include_in_schema=False)


@operations.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


@operations.get("/ready")
async def ready(request: Request) -> JSONResponse:
    """Ready when submissions answers: without it no page can be shown."""
    try:
        answer = await request.app.state.services["submissions"].get("/health", timeout=3)
        up = answer.status_code == 200
    except httpx.HTTPError:
        up = False
    return JSONResponse(
        status_code=200 if up else 503,
        content={"status": "ready" if up else "not ready", "checks": {"submissions": up}},
    )


# The static files by name, listed once (they change only with a deployment): a requested name
# is looked up here and never handed to the file system, which answered a 300-character name
# with OSError "File name too long" (a 500), and cannot be led outside the folder either.
_STATIC_FILES = {path.name: path for path in STATIC.iterdir() if path.is_file()}


@operations.get(f"{PORTAL}/static/{{name}}")
async def static(name: str) -> Response:
    path = _STATIC_FILES.get(name)
    if path is None:
        return Response(status_code=404)
    media = {
        ".css": "text/css; charset=utf-8",
        ".js": "text/javascript; charset=utf-8",
        ".svg": "image/svg+xml",
    }
    return FileResponse(
        path,
        media_type=media.get(path.suffix, "application/octet-stream"),
        headers={"Cache-Control": "public, max-age=300"},
    )


def _install_refusal_pages(app: FastAPI) -> None:
    async def csrf_refused(request: Request, error: Exception) -> Response:
        reason = error.reason if isinstance(error, CsrfRefused) else ""
        log.warning("POST refused: %s", reason, extra={"path": request.url.path})
        return render(request, "refused.html", language(request), status_code=403, why="csrf")

    async def page_refused(request: Request, error: Exception) -> Response:
        # With the person's menu: what they may open instead.
        user = error.user if isinstance(error, PageRefused) else None
        return render(
            request, "refused.html", language(request), user=user, status_code=403, why="role"
        )

    async def sign_in_again(request: Request, _: Exception) -> Response:
        session.end(request)
        return redirect(SIGN_IN_AGAIN)

    async def unavailable(request: Request, error: Exception) -> Response:
        service = error.service if isinstance(error, ServiceUnavailable) else ""
        log.warning("%s does not answer", service, extra={"path": request.url.path})
        return render(
            request, "unavailable.html", language(request), status_code=503, service=service
        )

    async def http_error(request: Request, error: Exception) -> Response:
        # A redirect raised on the way (web.signed_in's 303 to the sign-in page) passes as it
        # is; an error is a page in the person's language, not FastAPI's JSON.
        status = error.status_code if isinstance(error, StarletteHTTPException) else 500
        if status < 400 and isinstance(error, StarletteHTTPException):
            return Response(status_code=status, headers=error.headers)
        return render(request, "error.html", language(request), status_code=status, code=status)

    async def unsafe_input(request: Request, error: Exception) -> Response:
        # The services' input guard refused a path, query or form value no field takes:
        # the page of the error, naming each value and why, in the person's language.
        status = error.status_code if isinstance(error, ClientError) else 422
        problems = error.errors if isinstance(error, ClientError) else []
        return render(
            request,
            "error.html",
            language(request),
            status_code=status,
            code=status,
            problems=problems,
        )

    async def service_error(request: Request, error: Exception) -> Response:
        # A service refused or failed where a page needed its answer (raise_for_status).
        log.warning("a service answered with an error: %s", error, extra={"path": request.url.path})
        answer = error.response if isinstance(error, httpx.HTTPStatusError) else None
        if answer is not None and 400 <= answer.status_code < 500:
            # A refusal (a unit code in the page's path the API will not read: 422) is the
            # person's to correct, not a broken service: its status with the API's reasons.
            # It was a 502 "service unavailable". (A 401 never gets here: client.SignInAgain.)
            return render(
                request,
                "error.html",
                language(request),
                status_code=answer.status_code,
                code=answer.status_code,
                problems=errors_of(answer),
            )
        return render(request, "unavailable.html", language(request), status_code=502, service="")

    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(httpx.HTTPStatusError, service_error)
    app.add_exception_handler(ClientError, unsafe_input)
    app.add_exception_handler(CsrfRefused, csrf_refused)
    app.add_exception_handler(PageRefused, page_refused)
    app.add_exception_handler(SignInAgain, sign_in_again)
    app.add_exception_handler(ServiceUnavailable, unavailable)


def create_app(
    settings: PortalSettings | None = None,
    transports: Mapping[str, httpx.AsyncBaseTransport] | None = None,
) -> FastAPI:
    """The portal. `transports` (tests) answers the services' calls in-process."""
    settings = settings or PortalSettings()
    settings.warn_if_dev_secret()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        await app.state.services.close()

    app = FastAPI(
        title="Thi Đua — Portal",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        # Every unsafe request, whatever its route: same origin and the session's CSRF token.
        # Every request, before any page runs: the services' input guard, so that a value
        # no field of any service takes (NUL, another control character, a bidirectional
        # override, a lone surrogate) in a path, a query or a form is refused here, with its
        # name and why, rather than sent on (a NUL in a path was a 500: httpx.InvalidURL).
        dependencies=[Depends(csrf_guard), Depends(refuse_unsafe_input)],
    )
    app.state.settings = settings
    app.state.auth_settings = load_auth_settings()
    app.state.deployment = load_deployment_settings()
    app.state.services = ServiceClients(
        settings.service_urls, settings.api_timeout_seconds, transports
    )
    app.state.dashboard_url = (settings.dashboard_url or settings.reporting_url) + "/dashboard"
    menu: list[MenuItem] = [item for page in PAGES for item in page.MENU]
    app.state.menu = menu
    codec = session.SessionCodec(
        settings.session_secret.get_secret_value().encode(),
        settings.session_hours * 3600,
    )
    app.add_middleware(session.SessionMiddleware, codec=codec, secure=settings.production)
    app.add_middleware(TraceMiddleware)
    # Last, so outermost: body caps, and the security headers (a strict CSP: the templates
    # hold no inline script or style) on every answer, refusals included.
    install_http_hardening(app, app.state.deployment)
    _install_refusal_pages(app)
    app.include_router(operations)
    for page in PAGES:
        app.include_router(page.router)
    return app
