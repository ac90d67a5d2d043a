"""Email over SMTP: one UTF-8 message (plain text, and HTML as its alternative) per delivery.

`build_email` makes the message of a `Mail`; `send_email` builds and sends it with aiosmtplib
and says how it went as a `DeliveryOutcome` (`status_code` is the SMTP reply code). Headers
are ASCII on the wire: a Vietnamese subject or display name is RFC 2047 encoded
(``=?utf-8?…?=``) and decoded by every mail reader. The `Message-ID` is derived from the
delivery id, so a message sent again after a retry is recognisably the same message (readers
and archives dedupe it).
"""

import asyncio
import email.errors
import email.policy
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from typing import Self
from uuid import UUID

import aiosmtplib
from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator

from services.notifications.channels.webhook import DeliveryOutcome

DEFAULT_SENDER = "Thi Đua <thidua@congdoandaukhi.vn>"
DELIVERY_ID_HEADER = "X-Thidua-Delivery-Id"


class SmtpSettings(BaseModel):
    """How to reach the mail server, and who the mail is from.

    `use_tls`: implicit TLS from the first byte (SMTPS, usually port 465). `start_tls`: True
    requires a STARTTLS upgrade, False never attempts one, None (the default) upgrades when
    the server offers it. `timeout` bounds one whole sending, in seconds."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    host: str = "127.0.0.1"
    port: int = Field(default=25, ge=1, le=65535)
    username: str | None = None
    password: SecretStr | None = None
    use_tls: bool = False
    start_tls: bool | None = None
    validate_certs: bool = True
    sender: str = Field(
        default=DEFAULT_SENDER, description='The From header: "Display name <address>".'
    )
    timeout: float = Field(default=30.0, gt=0)
    local_hostname: str | None = Field(
        default=None, description="Name sent in EHLO; None: this machine's FQDN."
    )

    @field_validator("sender")
    @classmethod
    def _sender_has_an_address(cls, value: str) -> str:
        _, address = parseaddr(value)
        if "@" not in address:
            raise ValueError(f"not an email address: {value!r}")
        return value

    @model_validator(mode="after")
    def _one_kind_of_tls(self) -> Self:
        if self.use_tls and self.start_tls:
            raise ValueError("use_tls (implicit TLS) and start_tls exclude each other")
        if (self.username is None) != (self.password is None):
            raise ValueError("username and password go together")
        return self

    @property
    def sender_address(self) -> str:
        """The envelope sender (MAIL FROM): the bare address of `sender`."""
        return parseaddr(self.sender)[1]


def message_id(delivery_id: UUID, sender: str = DEFAULT_SENDER) -> str:
    """`<thidua.<delivery id>@<sender's domain>>`: the same for every send of one delivery."""
    domain = parseaddr(sender)[1].rpartition("@")[2] or "thidua.invalid"
    return f"<thidua.{delivery_id}@{domain}>"


@dataclass(frozen=True)
class Mail:
    """One message to one person. `to` is an address, optionally with a display name
    ("Nguyễn Văn An <an@pvgas.vn>"); `html`, when given, is the text's HTML alternative."""

    to: str
    subject: str
    text: str
    html: str | None
    delivery_id: UUID
    language: str | None = None


def build_email(sender: str, mail: Mail, *, sent_at: float | None = None) -> EmailMessage:
    """A UTF-8 message: the text as text/plain and, when given, the HTML as its text/html
    alternative. Raises ValueError for an unusable address or a multi-line subject."""
    to, subject = mail.to, mail.subject
    if "\n" in subject or "\r" in subject:
        raise ValueError("an email subject is one line")
    message = EmailMessage(policy=email.policy.SMTP)
    message["From"] = sender
    message["To"] = to
    recipients = message["To"].addresses
    if len(recipients) != 1 or not _is_mailbox(recipients[0]):
        raise ValueError(f"not one email address: {to!r}")
    if not _is_mailbox(message["From"].addresses[0]):
        raise ValueError(f"not an email address: {sender!r}")
    message["Subject"] = subject
    message["Date"] = format_datetime(
        datetime.now(UTC) if sent_at is None else datetime.fromtimestamp(sent_at, UTC),
        usegmt=True,
    )
    message["Message-ID"] = message_id(mail.delivery_id, sender)
    message[DELIVERY_ID_HEADER] = str(mail.delivery_id)
    # RFC 3834: out-of-office robots must not answer it.
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(_with_final_newline(mail.text), subtype="plain", charset="utf-8")
    if mail.html is not None:
        message.add_alternative(_with_final_newline(mail.html), subtype="html", charset="utf-8")
    if mail.language:  # after the content: setting content clears every Content-* header
        message["Content-Language"] = mail.language
    return message


async def send_email(settings: SmtpSettings, mail: Mail) -> DeliveryOutcome:
    """Send one message through `settings`' server. Never raises for a delivery failure.

    Retryable: connection errors and timeouts, SMTP 4xx (transient: greylisting, mailbox busy,
    server short of resources), and a server refusing our credentials or a required TLS (a
    configuration fault, not the message's: it goes once settings are fixed). Not retryable:
    SMTP 5xx (permanent: no such mailbox, refused content) and a message that cannot be built
    (an invalid address). A timeout after the content was sent may still have delivered it:
    a retry then sends the same `Message-ID` again."""
    started = time.perf_counter()

    def outcome(
        ok: bool, status: int | None, error: str | None, retryable: bool
    ) -> DeliveryOutcome:
        return DeliveryOutcome(ok, status, error, retryable, (time.perf_counter() - started) * 1e3)

    try:
        message = build_email(settings.sender, mail)
    except (ValueError, TypeError, IndexError, email.errors.MessageError) as exc:
        return outcome(False, None, f"invalid message: {exc}", False)
    recipient = message["To"].addresses[0].addr_spec
    try:
        async with asyncio.timeout(settings.timeout):
            await aiosmtplib.send(
                message,
                sender=settings.sender_address,
                recipients=[recipient],
                hostname=settings.host,
                port=settings.port,
                username=settings.username,
                password=(settings.password.get_secret_value() if settings.password else None),
                use_tls=settings.use_tls,
                start_tls=settings.start_tls,
                validate_certs=settings.validate_certs,
                timeout=settings.timeout,
                local_hostname=settings.local_hostname,
            )
    except aiosmtplib.SMTPRecipientsRefused as exc:
        codes = [refusal.code for refusal in exc.recipients]
        details = "; ".join(f"{r.code} {r.message}" for r in exc.recipients)
        return outcome(
            False,
            codes[0] if codes else None,
            f"recipient refused: SMTP {details}",
            any(_transient(code) for code in codes),
        )
    except aiosmtplib.SMTPAuthenticationError as exc:
        return outcome(False, exc.code, f"authentication refused: SMTP {exc.code} {exc}", True)
    except aiosmtplib.SMTPResponseException as exc:
        what = _REFUSALS.get(type(exc), "refused")
        return outcome(False, exc.code, f"{what}: SMTP {exc.code} {exc}", _transient(exc.code))
    except (TimeoutError, aiosmtplib.SMTPTimeoutError):
        return outcome(False, None, f"timeout after {settings.timeout:g} s", True)
    except aiosmtplib.SMTPNotSupported as exc:
        return outcome(False, None, f"server does not support what we need: {exc}", True)
    except (aiosmtplib.SMTPException, OSError) as exc:  # refused, reset, DNS, TLS handshake
        return outcome(False, None, f"{type(exc).__name__}: {exc}", True)
    return outcome(True, 250, None, False)


_REFUSALS: dict[type[aiosmtplib.SMTPResponseException], str] = {
    aiosmtplib.SMTPSenderRefused: "sender refused",
    aiosmtplib.SMTPDataError: "message refused",
    aiosmtplib.SMTPHeloError: "greeting refused",
    aiosmtplib.SMTPConnectResponseError: "connection refused by the server",
}


def _transient(code: int) -> bool:
    """SMTP 4yz is a transient negative completion (RFC 5321 §4.2.1): try again later."""
    return 400 <= code < 500


def _is_mailbox(address: Address) -> bool:
    return bool(address.username) and bool(address.domain)


def _with_final_newline(value: str) -> str:
    return value if value.endswith("\n") else value + "\n"
