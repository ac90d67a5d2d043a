"""Headers that tell a browser what a response may do, on every response of every service
(issue 14): no script, style or frame from elsewhere, no inline script, never inside another
site's frame, no guessing of content types, no full URL leaked to other sites.

Pure ASGI, installed outermost (shared.http.hardening), so refusals made by other middleware
(413, 404 of a closed `/docs`, a 500's last resort) carry the headers too. A header the route
set itself wins: a page that needs another policy says so on its own response.

The dashboard's pages hold no inline script or style attribute (its data sits in a
`<script type="application/json">` block, which is not executed, so CSP allows it) and load
only their own files, so `'self'` covers them. Swagger UI at `/docs` is the exception: FastAPI
writes an inline script that starts it and loads it from a CDN, so `/docs` and `/redoc` get
`DOCS_POLICY`; in production they are off by default (shared.http.ops_access).
"""

from collections.abc import Iterable

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.http.middleware import HttpMiddleware

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)

# FastAPI's Swagger UI and ReDoc pages: an inline starter script and the CDN they load from.
_DOCS_CDN = "https://cdn.jsdelivr.net"
DOCS_POLICY = "; ".join(
    (
        "default-src 'self'",
        f"script-src 'self' 'unsafe-inline' {_DOCS_CDN}",
        f"style-src 'self' 'unsafe-inline' {_DOCS_CDN}",
        "img-src 'self' data: https://fastapi.tiangolo.com",
        f"worker-src 'self' blob: {_DOCS_CDN}",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    )
)
DOCS_PAGES = frozenset({"/docs", "/redoc", "/docs/oauth2-redirect"})

# A year, with subdomains: only sent in production, where the services sit behind TLS.
_HSTS = "max-age=31536000; includeSubDomains"


def security_headers(
    content_security_policy: str = CONTENT_SECURITY_POLICY, *, https_only: bool = False
) -> list[tuple[str, str]]:
    headers = [
        ("content-security-policy", content_security_policy),
        # For browsers that predate frame-ancestors.
        ("x-frame-options", "DENY"),
        ("x-content-type-options", "nosniff"),
        # Another site learns at most our origin, never a path naming a unit or a person.
        ("referrer-policy", "strict-origin-when-cross-origin"),
        ("cross-origin-opener-policy", "same-origin"),
        ("permissions-policy", "camera=(), microphone=(), geolocation=(), payment=()"),
    ]
    if https_only:
        headers.append(("strict-transport-security", _HSTS))
    return headers


class SecurityHeadersMiddleware(HttpMiddleware):
    """Adds `security_headers()` to every HTTP response that does not set them itself."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        content_security_policy: str = CONTENT_SECURITY_POLICY,
        docs_policy: str = DOCS_POLICY,
        docs_paths: Iterable[str] = DOCS_PAGES,
        https_only: bool = False,
    ) -> None:
        super().__init__(app)
        self._headers = security_headers(content_security_policy, https_only=https_only)
        self._docs_headers = security_headers(docs_policy, https_only=https_only)
        self._docs_paths = frozenset(docs_paths)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        added = self._docs_headers if scope["path"] in self._docs_paths else self._headers

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in added:
                    if name not in headers:
                        headers.append(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)
