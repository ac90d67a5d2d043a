"""`python -m shared.dev_mailbox`: a mail catcher for development, which `make run` starts.

    python -m shared.dev_mailbox [--folder .run/mail] [--smtp-port 1025] [--http-port 8025]

An SMTP server (aiosmtpd) on 127.0.0.1:1025, the port notifications sends to by default,
accepts every message for any address and delivers none: each is kept, byte for byte, as a
.eml file in the folder (any mail reader opens one), with the envelope's sender and
recipients in `Return-Path` and `Delivered-To` headers on top, as a mail server delivering it
would add. A page on http://127.0.0.1:8025 lists them, newest first (date in Vietnam time,
to, subject decoded), and shows each one's plain text; `/raw/<file>` is its source.

Development only, like `shared.dev_tokens`: aiosmtpd is a development dependency, so the
production image cannot import this module (docker-compose.yml runs Mailpit instead). It
lives in `shared`, not beside deploy/local/run_local.py, so that run_local and the tests
import it by its name (`deploy/` is not a package) and mypy checks it under that name.
"""

import argparse
import email.policy
import html
import logging
import re
import signal
import sys
import threading
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.parser import BytesHeaderParser, BytesParser
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from shared.formatting import VIETNAM_TIME

log = logging.getLogger(__name__)

DEFAULT_FOLDER = Path(".run/mail")
DEFAULT_SMTP_PORT = 1025  # services.notifications.config's default smtp_port
DEFAULT_HTTP_PORT = 8025  # Mailpit's: the same address with `make run` and in compose
# The names `keep` gives; nothing else in the folder is served (no path outside it either).
EML_NAME = re.compile(r"[0-9]{8}T[0-9]{6}\.[0-9]{6}Z-[0-9a-f]{8}\.eml")
LISTED_AT_MOST = 500


def keep(folder: Path, content: bytes, sender: str, recipients: list[str]) -> Path:
    """Write one received message as `<UTC time>-<random>.eml`: names sort by arrival. The
    file appears whole (written aside, then renamed), so the page never reads half of one."""
    now = datetime.now(UTC)
    name = f"{now:%Y%m%dT%H%M%S.%f}Z-{uuid.uuid4().hex[:8]}.eml"
    newline = b"\r\n" if b"\r\n" in content else b"\n"
    envelope = [f"Return-Path: <{sender}>".encode()]
    envelope += [f"Delivered-To: {recipient}".encode() for recipient in recipients]
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / f".{name}.partial"
    partial.write_bytes(newline.join(envelope) + newline + content)
    return partial.replace(folder / name)


class FolderHandler:
    """aiosmtpd's handler: every message is accepted and kept in `folder`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or envelope.content
        if not isinstance(content, bytes):  # only with decode_data=True, which we never set
            content = str(content).encode()
        path = keep(self.folder, content, envelope.mail_from or "", list(envelope.rcpt_tos))
        log.info("kept %s for %s", path.name, ", ".join(envelope.rcpt_tos))
        return f"250 OK kept as {path.name}"


@dataclass(frozen=True)
class Listed:
    name: str
    received: datetime
    sender: str
    to: str
    subject: str


def listing(folder: Path, limit: int = LISTED_AT_MOST) -> list[Listed]:
    """The newest `limit` messages, newest first, from their headers alone."""
    if not folder.is_dir():
        return []
    names = sorted((p.name for p in folder.iterdir() if EML_NAME.fullmatch(p.name)), reverse=True)
    parser = BytesHeaderParser(policy=email.policy.default)
    listed = []
    for name in names[:limit]:
        path = folder / name
        with path.open("rb") as file:
            headers = parser.parse(file)
        listed.append(
            Listed(
                name=name,
                received=_date_of(headers, path),
                sender=str(headers.get("From", "")),
                to=str(headers.get("To", "") or headers.get("Delivered-To", "")),
                subject=str(headers.get("Subject", "")),
            )
        )
    return listed


def read(folder: Path, name: str) -> EmailMessage | None:
    """One kept message, or None if `name` is not one (a name `keep` did not give is never
    opened: no `../`)."""
    if not EML_NAME.fullmatch(name) or not (folder / name).is_file():
        return None
    with (folder / name).open("rb") as file:
        message = BytesParser(policy=email.policy.default).parse(file)
    assert isinstance(message, EmailMessage)  # what policy.default parses into
    return message


def plain_text(message: EmailMessage) -> str:
    """The text/plain body (the HTML alternative's source if there is none), decoded."""
    body = message.get_body(preferencelist=("plain", "html"))
    if body is None:
        return "(no text part)"
    content = body.get_content()
    # Kept with SMTP's CRLF line ends; a page shows lines.
    return content.replace("\r\n", "\n") if isinstance(content, str) else repr(content)


def _date_of(headers: Any, path: Path) -> datetime:
    try:
        when = headers["Date"].datetime if headers["Date"] else None
    except (AttributeError, TypeError, ValueError):
        when = None
    if not isinstance(when, datetime) or when.tzinfo is None:
        when = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    return when


# ------------------------------------------------------------------------------ the page

PAGE = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 1.5rem; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ text-align: left; padding: .3rem .6rem; border-bottom: 1px solid #ddd; }}
td.when {{ white-space: nowrap; }}
pre {{ white-space: pre-wrap; background: #f6f6f6; padding: 1rem; }}
</style></head><body>{body}</body></html>
"""


def list_page(folder: Path) -> str:
    rows = "".join(
        f'<tr><td class="when">{_shown(m.received)}</td><td>{html.escape(m.to)}</td>'
        f'<td><a href="/m/{m.name}">{html.escape(m.subject) or "(không tiêu đề)"}</a></td></tr>'
        for m in listing(folder)
    )
    empty = "" if rows else "<p>Chưa có thư nào. / No mail yet.</p>"
    body = (
        f"<h1>Hộp thư thử nghiệm / Development mailbox</h1>"
        f"<p>{html.escape(str(folder.resolve()))} — thư không được gửi ra ngoài "
        f"(mail is kept here, never delivered).</p>{empty}"
        f"<table><tr><th>Ngày (giờ Việt Nam)</th><th>Người nhận / To</th>"
        f"<th>Tiêu đề / Subject</th></tr>{rows}</table>"
    )
    return PAGE.format(title="Hộp thư thử nghiệm", body=body)


def message_page(name: str, message: EmailMessage) -> str:
    headers = "".join(
        f"<tr><th>{field}</th><td>{html.escape(str(message.get(field, '')))}</td></tr>"
        for field in ("Date", "From", "To", "Subject", "Content-Language")
        if message.get(field) is not None
    )
    body = (
        f'<p><a href="/">← Hộp thư / Mailbox</a> · <a href="/raw/{name}">{name}</a></p>'
        f"<table>{headers}</table><pre>{html.escape(plain_text(message))}</pre>"
    )
    return PAGE.format(title=html.escape(str(message.get("Subject", name))), body=body)


def _shown(when: datetime) -> str:
    return when.astimezone(VIETNAM_TIME).strftime("%d/%m/%Y %H:%M:%S")


class _PageServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], folder: Path) -> None:
        self.folder = folder
        super().__init__(address, _PageHandler)


class _PageHandler(BaseHTTPRequestHandler):
    server: _PageServer

    def do_GET(self) -> None:
        folder = self.server.folder
        path = self.path.split("?", 1)[0]
        if path == "/":
            self._answer(HTTPStatus.OK, "text/html", list_page(folder).encode())
            return
        kind, _, name = path.lstrip("/").partition("/")
        message = read(folder, name) if kind in ("m", "raw") else None
        if message is None:
            self._answer(HTTPStatus.NOT_FOUND, "text/plain", b"no such message\n")
        elif kind == "raw":
            self._answer(HTTPStatus.OK, "text/plain", (folder / name).read_bytes())
        else:
            self._answer(HTTPStatus.OK, "text/html", message_page(name, message).encode())

    def _answer(self, status: HTTPStatus, kind: str, content: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", f"{kind}; charset=utf-8")
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # a page read is not news; received messages are logged


# ---------------------------------------------------------------------------- the catcher


class DevMailbox:
    """The SMTP server and the page, each on its own thread; `with DevMailbox(...)` or
    `start()`/`stop()`. `http_port=0`: any free port (see `page_url`)."""

    def __init__(
        self,
        folder: Path = DEFAULT_FOLDER,
        host: str = "127.0.0.1",
        smtp_port: int = DEFAULT_SMTP_PORT,
        http_port: int = DEFAULT_HTTP_PORT,
    ) -> None:
        self.folder = folder
        self.host = host
        self.smtp_port = smtp_port
        # Any sender, any recipient, UTF-8 addresses too (SMTPUTF8): a catcher refuses nothing
        # a real server would take, or mail a real server would deliver ends `dead` here.
        self._smtp = Controller(
            FolderHandler(folder), hostname=host, port=smtp_port, enable_SMTPUTF8=True
        )
        self._page: _PageServer | None = None
        self._page_port = http_port
        self._page_thread: threading.Thread | None = None

    @property
    def page_url(self) -> str:
        port = self._page.server_address[1] if self._page else self._page_port
        return f"http://{self.host}:{port}/"

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self._smtp.start()  # raises if the port is taken
        try:
            self._page = _PageServer((self.host, self._page_port), self.folder)
        except OSError:
            self._smtp.stop()
            raise
        self._page_thread = threading.Thread(
            target=self._page.serve_forever, name="dev-mailbox-page", daemon=True
        )
        self._page_thread.start()

    def stop(self) -> None:
        if self._page is not None:
            self._page.shutdown()
            self._page.server_close()
            self._page = None
        self._smtp.stop()

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m shared.dev_mailbox",
        description="Keep every message sent to it as a .eml file; list them on a page.",
    )
    parser.add_argument("--folder", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--smtp-port", type=int, default=DEFAULT_SMTP_PORT)
    parser.add_argument("--http-port", type=int, default=DEFAULT_HTTP_PORT)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s dev_mailbox: %(message)s")
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's: every SMTP command
    stopping = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopping.set())
    try:
        mailbox = DevMailbox(args.folder, args.host, args.smtp_port, args.http_port)
        mailbox.start()
    except OSError as exc:
        print(f"dev_mailbox: cannot listen: {exc}", file=sys.stderr)
        return 1
    log.info(
        "SMTP on %s:%d, page %s, folder %s",
        args.host,
        args.smtp_port,
        mailbox.page_url,
        args.folder.resolve(),
    )
    stopping.wait()
    mailbox.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
