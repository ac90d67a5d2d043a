"""The browser's session: one signed cookie holding the CSRF token and, once signed in, the
person's bearer token.

Every visitor gets a session at the first page that shows a form, before signing in, so that
the sign-in form carries a CSRF token too (login CSRF: another site cannot sign a browser in
as someone else).
Signing in starts a new session (a new CSRF token), signing out ends it. The cookie is signed
(HMAC-SHA256 with `PORTAL_SESSION_SECRET`), not encrypted: it holds nothing its owner may not
read, and it is HttpOnly (no script reads it), SameSite=Lax (not sent with another site's
POST), Secure in production. The portal keeps no session state of its own, so it runs as many
replicas as needed.
"""

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass

from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

COOKIE = "thidua_portal_session"
PATH = "/portal"


@dataclass(frozen=True)
class Session:
    csrf: str
    token: str | None = None
    issued_at: float = 0.0

    @classmethod
    def new(cls, token: str | None = None) -> "Session":
        return cls(csrf=secrets.token_urlsafe(32), token=token, issued_at=time.time())


class SessionCodec:
    def __init__(self, secret: bytes, max_age_seconds: float) -> None:
        self._secret = secret
        self.max_age_seconds = max_age_seconds

    def _sign(self, payload: bytes) -> str:
        digest = hmac.new(self._secret, payload, hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode().rstrip("=")

    def dump(self, session: Session) -> str:
        body = json.dumps({"c": session.csrf, "t": session.token, "i": session.issued_at})
        payload = base64.urlsafe_b64encode(body.encode()).decode().rstrip("=")
        return f"{payload}.{self._sign(payload.encode())}"

    def load(self, text: str | None) -> Session | None:
        """The session the cookie holds; None if it is missing, forged, damaged or too old."""
        if not text or "." not in text:
            return None
        payload, signature = text.rsplit(".", 1)
        if not hmac.compare_digest(signature, self._sign(payload.encode())):
            return None
        try:
            raw = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
            session = Session(csrf=str(raw["c"]), token=raw["t"], issued_at=float(raw["i"]))
        except (ValueError, KeyError, TypeError):
            return None
        if session.token is not None and not isinstance(session.token, str):
            return None
        if time.time() - session.issued_at > self.max_age_seconds:
            return None
        return session


def current(connection: HTTPConnection) -> Session:
    """This request's session (the middleware put it there)."""
    session: Session = connection.scope["portal_session"]
    return session


def csrf_token(connection: HTTPConnection) -> str:
    """The CSRF token for a form on the page being rendered. A visitor without a session
    gets theirs now, and only now: a request that shows no form (the browser's favicon, a
    stylesheet) must not replace the cookie a page just set with a session of its own."""
    if not connection.scope.get("portal_session_loaded"):
        connection.scope["portal_session_changed"] = True
    return current(connection).csrf


def start(connection: HTTPConnection, token: str) -> None:
    """Signed in: a new session (and CSRF token) carrying the person's token."""
    connection.scope["portal_session"] = Session.new(token)
    connection.scope["portal_session_changed"] = True


def end(connection: HTTPConnection) -> None:
    """Signed out, or the token was refused: a fresh session without a token."""
    connection.scope["portal_session"] = Session.new()
    connection.scope["portal_session_changed"] = True


class SessionMiddleware:
    """Reads the cookie into the request's scope; writes it back when it is new or changed."""

    def __init__(self, app: ASGIApp, codec: SessionCodec, *, secure: bool) -> None:
        self.app = app
        self.codec = codec
        self.secure = secure

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        loaded = self.codec.load(HTTPConnection(scope).cookies.get(COOKIE))
        scope["portal_session"] = loaded or Session.new()
        scope["portal_session_loaded"] = loaded is not None
        scope["portal_session_changed"] = False

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start" and scope.get("portal_session_changed"):
                headers = MutableHeaders(scope=message)
                headers.append("set-cookie", self._cookie(scope["portal_session"]))
            await send(message)

        await self.app(scope, receive, send_with_cookie)

    def _cookie(self, session: Session) -> str:
        carrier = Response()
        carrier.set_cookie(
            COOKIE,
            self.codec.dump(session),
            max_age=int(self.codec.max_age_seconds),
            path=PATH,
            httponly=True,
            samesite="lax",
            secure=self.secure,
        )
        return carrier.headers["set-cookie"]
