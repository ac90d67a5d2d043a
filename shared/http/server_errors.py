"""The last resort: an error no handler knows still answers in the error shape, and is logged.

A 500 stays a 500, because it is a bug to fix, not something the client did; the client gets
the correlation id to quote, and the log line carries the same id and the traceback. Starlette's
own last resort answers "Internal Server Error" as plain text, outside the trace (its middleware
is the outermost), so neither the client nor the log line would carry the id.

This is ASGI middleware, not an exception handler for `Exception`: Starlette sends those to its
outermost `ServerErrorMiddleware`, where the request's trace is already over. Installed inside
`TraceMiddleware` (shared.service_app), it runs while the trace is current.
"""

import logging

from starlette.responses import JSONResponse
from starlette.types import Message, Receive, Scope, Send

from shared.http.errors import client_error
from shared.http.middleware import HttpMiddleware
from shared.messaging.tracing import current_trace

log = logging.getLogger("thidua.http")


def server_error_body(correlation_id: str) -> dict[str, object]:
    error = client_error(
        "(server)",
        "internal_error",
        f"Lỗi hệ thống, không do yêu cầu của bạn. Mã tra cứu: {correlation_id}",
        f"A server error, not caused by your request. Reference: {correlation_id}",
    )
    return {"errors": [error], "correlation_id": correlation_id}


class UnhandledErrorMiddleware(HttpMiddleware):
    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = False

        async def watching_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watching_send)
        except Exception:
            trace = current_trace()
            correlation_id = trace.trace_id if trace else "-"
            log.exception(
                "unhandled error",
                extra={
                    "status_code": 500,
                    "method": scope.get("method", ""),
                    "path": scope.get("path", ""),
                },
            )
            if started:
                # Part of a response is on its way: nothing else can be said; the server
                # closes the connection when the error goes on.
                raise
            response = JSONResponse(status_code=500, content=server_error_body(correlation_id))
            await response(scope, receive, send)
