"""Real receivers on loopback for what notifications sends: an SMTP server and webhook
endpoints that check signatures on their own, as an integrator's system would."""

import argparse
import asyncio
import hashlib
import hmac
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import uvicorn
from aiosmtpd.controller import Controller
from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.support.infrastructure import free_port


class Mailbox:
    """An aiosmtpd handler keeping every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


def start_smtp() -> tuple[Controller, Mailbox]:
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    return controller, mailbox


@dataclass
class Received:
    path: str
    delivery_id: str
    event_type: str
    body: bytes
    signature_valid: bool
    at: float
    client_port: int = 0  # the sender's end of the connection: one per connection


@dataclass
class WebhookReceivers:
    """Endpoints: /ok answers 200; /fail 500 until `healed`; /slow waits `slow_seconds`, or,
    with `hold_slow`, until `release_slow()`. Any path that starts so behaves so (/ok2, /slow1).

    `in_progress`, `most_at_once` and `answered` count requests per path: how many are being
    answered now, the most at any time, and how many were answered."""

    secrets: dict[str, str] = field(default_factory=dict)
    received: list[Received] = field(default_factory=list)
    slow_seconds: float = 2.0
    hold_slow: bool = False
    healed: bool = False
    port: int = field(default_factory=free_port)
    in_progress: Counter[str] = field(default_factory=Counter)
    most_at_once: Counter[str] = field(default_factory=Counter)
    answered: Counter[str] = field(default_factory=Counter)
    # The gate of held slow requests lives on the server's loop; released from any thread.
    _gate: asyncio.Event | None = field(default=None, init=False, repr=False)
    _gate_loop: asyncio.AbstractEventLoop | None = field(default=None, init=False, repr=False)
    _released: bool = field(default=False, init=False, repr=False)

    def release_slow(self) -> None:
        """Held slow requests are answered now, and later ones at once."""
        self._released = True
        if self._gate is not None and self._gate_loop is not None:
            self._gate_loop.call_soon_threadsafe(self._gate.set)

    async def _wait_at_gate(self) -> None:
        if self._gate is None:
            self._gate, self._gate_loop = asyncio.Event(), asyncio.get_running_loop()
        if not self._released:  # checked after the gate exists: a release cannot slip between
            await self._gate.wait()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}/{path}"

    def signature_valid(self, path: str, body: bytes, header: str) -> bool:
        # An integrator's own check, from the documented scheme, with the standard library.
        parts = dict(item.split("=", 1) for item in header.split(","))
        signed = f"{parts['t']}.".encode() + body
        expected = hmac.new(self.secrets[path].encode(), signed, hashlib.sha256).hexdigest()
        return (
            hmac.compare_digest(expected, parts.get("v1", ""))
            and abs(time.time() - int(parts["t"])) < 300
        )

    async def handle(self, request: Request) -> Response:
        path = request.url.path.strip("/")
        try:
            body = await request.body()
        except ClientDisconnect:  # a sender stopped mid-request (a benchmark's end): nothing came
            return Response(status_code=499)
        self.received.append(
            Received(
                path=path,
                delivery_id=request.headers.get("thidua-delivery-id", ""),
                event_type=request.headers.get("thidua-event-type", ""),
                body=body,
                signature_valid=path in self.secrets
                and self.signature_valid(path, body, request.headers.get("thidua-signature", "")),
                at=time.monotonic(),
                client_port=request.client.port if request.client else 0,
            )
        )
        self.in_progress[path] += 1
        self.most_at_once[path] = max(self.most_at_once[path], self.in_progress[path])
        try:
            if path.startswith("slow"):
                if self.hold_slow:
                    await self._wait_at_gate()
                else:
                    await asyncio.sleep(self.slow_seconds)
            if path.startswith("fail") and not self.healed:
                return Response("down", status_code=500)
            return Response("ok")
        finally:
            self.in_progress[path] -= 1
            self.answered[path] += 1

    def at(self, path: str) -> list[Received]:
        return [r for r in self.received if r.path == path]

    async def stats(self, request: Request) -> Response:
        """Per path: requests received, answered, and the most answered at once."""
        received = Counter(r.path for r in self.received)
        return JSONResponse(
            {
                "received": received,
                "answered": self.answered,
                "most_at_once": self.most_at_once,
            }
        )

    def server(self) -> uvicorn.Server:
        app = Starlette(
            routes=[
                Route("/stats", self.stats, methods=["GET"]),
                Route("/{path}", self.handle, methods=["POST"]),
            ]
        )
        return uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        )

    def start(self) -> uvicorn.Server:
        """Serve from a thread of this process (tests: they read `received` directly)."""
        server = self.server()
        threading.Thread(target=server.run, daemon=True).start()
        while not server.started:
            time.sleep(0.05)
        return server


if __name__ == "__main__":
    # A process of its own (benchmarks): it does not share this interpreter's lock with the
    # sender, as a subscriber's system would not. GET /stats says what it received.
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--slow-seconds", type=float, default=2.0)
    arguments = parser.parse_args()
    WebhookReceivers(port=arguments.port, slow_seconds=arguments.slow_seconds).server().run()
