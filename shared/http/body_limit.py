"""Request bodies above a size are refused with 413 before they are read whole (issue 14: a
10 MB body was read into memory, then refused).

Two limits, chosen by the request's content type before a byte of the body is read: files
(multipart, `THIDUA_MAX_BODY_BYTES`) and everything else (JSON, URL-encoded forms:
`THIDUA_MAX_TEXT_BODY_BYTES`, smaller, since no file travels in them). A declared
`Content-Length` above the limit is answered at once, without calling the app; a body sent in
chunks (no length) is counted as the app reads it, and the read that passes the limit raises
`BodyTooLarge`, an HTTPException that the app's handlers answer in the usual error shape
(shared.http.errors), FastAPI's body parsing and the input guard included. The route never
sees more than the limit plus one chunk.

Pure ASGI rather than a dependency: a dependency runs after FastAPI has read and parsed the
body for the route.
"""

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.http.errors import client_error
from shared.http.middleware import HttpMiddleware


class BodyTooLarge(HTTPException):
    def __init__(self, limit: int) -> None:
        super().__init__(status_code=413, detail=too_large_error(limit)["message_en"])
        self.limit = limit


def too_large_error(limit: int) -> dict[str, str]:
    shown = f"{limit / (1024 * 1024):.0f} MiB" if limit >= 1024 * 1024 else f"{limit} bytes"
    return client_error(
        "(body)",
        "too_large",
        f"Nội dung yêu cầu quá lớn (tối đa {shown})",
        f"The request body is too large (at most {shown})",
    )


def _declared_length(headers: Headers) -> int | None:
    try:
        return int(headers["content-length"])
    except (KeyError, ValueError):
        return None  # chunked, or a bad header (the server refuses that before us)


class BodySizeLimitMiddleware(HttpMiddleware):
    def __init__(self, app: ASGIApp, *, max_file_bytes: int, max_text_bytes: int) -> None:
        super().__init__(app)
        self.max_file_bytes = max_file_bytes
        self.max_text_bytes = max_text_bytes

    def limit_for_content_type(self, content_type: str) -> int:
        media = content_type.split(";", 1)[0].strip().lower()
        return self.max_file_bytes if media == "multipart/form-data" else self.max_text_bytes

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = Headers(scope=scope)
        limit = self.limit_for_content_type(headers.get("content-type", ""))
        declared = _declared_length(headers)
        if declared is not None and declared > limit:
            await self._refuse(limit, scope, receive, send)
            return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def watching_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, watching_send)
        except BodyTooLarge:
            # Raised where no handler answered it (a bare ASGI route): answer here.
            if started:
                raise
            await self._refuse(limit, scope, receive, send)

    @staticmethod
    async def _refuse(limit: int, scope: Scope, receive: Receive, send: Send) -> None:
        # Connection: close, since the unread body is still on its way.
        response = JSONResponse(
            {"errors": [too_large_error(limit)]}, status_code=413, headers={"connection": "close"}
        )
        await response(scope, receive, send)
