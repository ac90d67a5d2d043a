"""ASGI middleware: every request runs inside a trace, continued from `traceparent` if sent."""

from starlette.types import Message, Receive, Scope, Send

from shared.http.middleware import HttpMiddleware
from shared.messaging.tracing import trace_scope


class TraceMiddleware(HttpMiddleware):
    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        incoming = dict(scope["headers"]).get(b"traceparent", b"").decode("latin-1")
        with trace_scope(incoming) as trace:

            async def send_with_trace(message: Message) -> None:
                if message["type"] == "http.response.start":
                    message.setdefault("headers", [])
                    message["headers"] += [
                        (b"traceparent", trace.traceparent.encode()),
                        (b"x-correlation-id", trace.trace_id.encode()),
                    ]
                await send(message)

            await self.app(scope, receive, send_with_trace)
