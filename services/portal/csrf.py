"""Cross-site request forgery: every POST must come from the portal's own pages.

Two checks, both on every unsafe request (an app-wide dependency, so no route can forget it):
the browser's Origin (or, without one, its Referer; a POST with neither is refused) must be
the portal's own host or an origin listed in `PORTAL_ALLOWED_ORIGINS`, and the form's `_csrf`
field must equal the session's token (which another site cannot read). Either failing is a
403 page.
"""

import hmac
from urllib.parse import urlsplit

from fastapi import Request

from services.portal import session
from services.portal.config import PortalSettings
from services.portal.posted_form import form_as_sent

FIELD = "_csrf"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class CsrfRefused(Exception):
    """A POST the portal did not ask for; `reason` is for the log, not the page."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme and parts.netloc else ""


def _same_site(request: Request, origin: str, settings: PortalSettings) -> bool:
    if origin in settings.origins:
        return True
    # The host the browser addressed (behind a TLS proxy the scheme may differ from ours).
    host = request.headers.get("host", "").lower()
    return bool(host) and urlsplit(origin).netloc == host


async def csrf_guard(request: Request) -> None:
    if request.method in SAFE_METHODS:
        return
    settings: PortalSettings = request.app.state.settings
    origin = request.headers.get("origin")
    if origin is not None:
        # "null" (a sandboxed frame, a data: page) is never ours.
        if not _same_site(request, _origin_of(origin) if origin != "null" else "", settings):
            raise CsrfRefused(f"cross-origin POST from {origin!r}")
    elif (referer := request.headers.get("referer")) is not None:
        if not _same_site(request, _origin_of(referer), settings):
            raise CsrfRefused("cross-origin POST (by its Referer)")
    else:
        # A browser sends an Origin with every POST (the portal's Referrer-Policy keeps it):
        # a post with neither says nowhere that it came from our page, so it is not taken
        # on the token alone.
        raise CsrfRefused("POST with neither Origin nor Referer")
    form = await form_as_sent(request)
    sent = form.get(FIELD)
    expected = session.current(request).csrf
    if not isinstance(sent, str) or not hmac.compare_digest(sent.encode(), expected.encode()):
        raise CsrfRefused("missing or wrong CSRF token" if sent else "no CSRF token")
