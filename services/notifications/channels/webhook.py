"""Signed webhooks: POST one event to a subscriber's URL, signed with the subscriber's secret.

What a receiver gets
--------------------

::

    POST <subscriber url>
    Content-Type: application/json; charset=utf-8
    Thidua-Event-Type: vn.congdoandaukhi.thidua.initiative.submitted.v1
    Thidua-Delivery-Id: 1f0c2d4e-…   (the same on every retry of one delivery: dedupe on it)
    Thidua-Signature: t=1656558000,v1=5257a869e7ec…[,v1=…]

    <body: the exact bytes that were signed>

The signature is HMAC-SHA256, keyed with the subscriber's secret (UTF-8), over the bytes
``f"{t}.".encode() + body``, in lowercase hex. While a secret is being rotated the header
carries one ``v1`` per active secret; a receiver accepts the request when any of them matches
any secret it holds. ``t`` is the sending time (Unix seconds): refuse old ones, so that a
captured request cannot be replayed later.

Verifying, for an integrator (Python standard library only; `verify` below does the same)::

    import hashlib, hmac, time

    def thidua_signature_ok(body: bytes, header: str, secrets: list[str]) -> bool:
        fields = [part.strip().partition("=") for part in header.split(",")]
        timestamps = [value for key, _, value in fields if key == "t"]
        signatures = [value for key, _, value in fields if key == "v1"]
        if len(timestamps) != 1 or not timestamps[0].isdecimal() or not signatures:
            return False
        if abs(time.time() - int(timestamps[0])) > 300:  # five minutes
            return False
        signed = timestamps[0].encode() + b"." + body
        return any(
            hmac.compare_digest(
                hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest(), signature
            )
            for secret in secrets
            for signature in signatures
        )

Verify the raw request body, before any JSON parsing: re-serialising changes the bytes.
Answer 2xx quickly once the delivery is stored; 429 or 5xx to be retried later; any other 4xx
means "never send this again".
"""

import asyncio
import hashlib
import hmac
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from uuid import UUID

import httpx

from services.notifications.channels.destinations import host_refusal

SIGNATURE_HEADER = "Thidua-Signature"
DELIVERY_ID_HEADER = "Thidua-Delivery-Id"
EVENT_TYPE_HEADER = "Thidua-Event-Type"
CONTENT_TYPE = "application/json; charset=utf-8"
USER_AGENT = "ThiDua-Webhooks/1"
SIGNATURE_SCHEME = "v1"
DEFAULT_TOLERANCE_SECONDS = 300

# How much of a refusing receiver's answer is kept in `DeliveryOutcome.error`.
_ERROR_BODY_CHARS = 200
# An answer up to this long is read to its end, so that its keep-alive connection serves the
# next delivery; a longer one is cut short and its connection closed.
_DRAINED_BODY_BYTES = 64 * 1024
_RETRYABLE_STATUSES = frozenset({408, 425, 429})


@dataclass(frozen=True, slots=True)
class DeliveryOutcome:
    """What became of one delivery attempt, on any channel.

    `status_code` is the HTTP status (webhooks) or the SMTP reply code (email), or None when
    no answer came. `retryable` says whether the same delivery may succeed later: network
    errors, timeouts, HTTP 429 and 5xx, SMTP 4xx. A refusal of the content (other HTTP 4xx,
    SMTP 5xx) is not: it would be refused again. `retry_after_seconds` is the receiver's
    `Retry-After`, when it gave one.
    """

    ok: bool
    status_code: int | None
    error: str | None
    retryable: bool
    duration_ms: float
    retry_after_seconds: float | None = None


def _signature(body: bytes, secret: str, timestamp: int) -> str:
    signed = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode("utf-8"), signed, hashlib.sha256).hexdigest()


def signature_header(body: bytes, secrets: Sequence[str], timestamp: int) -> str:
    """The `Thidua-Signature` value signed with each secret: `t=<timestamp>,v1=<hex>[,v1=…]`.

    Several secrets while one is rotated: receivers holding either the old or the new one
    accept the request."""
    if isinstance(secrets, str):
        secrets = [secrets]
    if not secrets:
        raise ValueError("at least one secret is needed to sign a webhook")
    if any(not secret for secret in secrets):
        raise ValueError("a webhook secret must not be empty")
    parts = [f"t={int(timestamp)}"]
    parts += [f"{SIGNATURE_SCHEME}={_signature(body, s, int(timestamp))}" for s in secrets]
    return ",".join(parts)


def sign(body: bytes, secret: str, timestamp: int) -> str:
    """The `Thidua-Signature` header value for `body` sent at `timestamp` (Unix seconds):
    ``t=<timestamp>,v1=<hex HMAC-SHA256 of f"{timestamp}.".encode() + body>``."""
    return signature_header(body, [secret], timestamp)


def verify(
    body: bytes,
    header: str,
    secrets: Sequence[str],
    *,
    now: int,
    tolerance_seconds: int = DEFAULT_TOLERANCE_SECONDS,
) -> bool:
    """Whether `header` (a `Thidua-Signature` value) signs `body` with one of `secrets`,
    at a time no further than `tolerance_seconds` from `now` (Unix seconds).

    `body` is the raw request body, byte for byte. During a rotation pass both the old and the
    new secret. A malformed header, a timestamp out of tolerance (old: a replay; or too far in
    the future) or no matching signature gives False. Comparisons are constant-time."""
    if isinstance(secrets, str):
        secrets = [secrets]
    if not secrets:
        raise ValueError("verify needs at least one secret")
    timestamps: list[str] = []
    signatures: list[str] = []
    for part in header.split(","):
        key, sep, value = part.strip().partition("=")
        if not sep:
            return False
        if key == "t":
            timestamps.append(value)
        elif key == SIGNATURE_SCHEME:
            signatures.append(value)
        # Other schemes (a future v2) are ignored, as Stripe's receivers do.
    if len(timestamps) != 1 or not timestamps[0].isascii() or not timestamps[0].isdigit():
        return False
    timestamp = int(timestamps[0])
    if abs(now - timestamp) > tolerance_seconds:
        return False
    expected = [_signature(body, secret, timestamp) for secret in secrets if secret]
    # No short-circuit: every pair is compared, so timing says nothing about which matched.
    matched = False
    for candidate in expected:
        for signature in signatures:
            if hmac.compare_digest(candidate.encode(), signature.encode("utf-8", "replace")):
                matched = True
    return matched


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after")
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


async def post_webhook(
    client: httpx.AsyncClient,
    url: str,
    body: bytes,
    secret: str | Sequence[str],
    delivery_id: UUID,
    event_type: str,
    *,
    timeout: float,  # noqa: ASYNC109 (a per-subscriber bound, applied with asyncio.timeout)
    now: Callable[[], float] = time.time,
) -> DeliveryOutcome:
    """POST `body` (JSON bytes, sent as they are) to `url`, signed with `secret` (or with each
    of several during a rotation), and say how it went. Never raises for a delivery failure.

    `timeout` bounds the whole attempt (connect, send, answer). Redirects are not followed:
    the signed body goes only where the subscriber said. A 2xx is a success; a timeout, a
    network error, 408, 425, 429 or 5xx is retryable; another answer (other 4xx, 3xx) is not.
    Pass the same `delivery_id` on every retry of one delivery."""
    timestamp = int(now())
    headers = {
        "Content-Type": CONTENT_TYPE,
        "User-Agent": USER_AGENT,
        SIGNATURE_HEADER: signature_header(
            body, [secret] if isinstance(secret, str) else secret, timestamp
        ),
        DELIVERY_ID_HEADER: str(delivery_id),
        EVENT_TYPE_HEADER: event_type,
    }
    started = time.perf_counter()

    def outcome(
        *,
        ok: bool,
        status: int | None,
        error: str | None,
        retryable: bool,
        retry_after: float | None = None,
    ) -> DeliveryOutcome:
        elapsed = (time.perf_counter() - started) * 1000
        return DeliveryOutcome(ok, status, error, retryable, elapsed, retry_after)

    # A host no request can be sent to (a subscriber stored before registration refused it)
    # never will be: failed for good, with the reason, instead of an exception per attempt.
    if (refused := host_refusal(url)) is not None:
        error = f"invalid destination: {refused.message_en}"
        return outcome(ok=False, status=None, error=error, retryable=False)
    response: httpx.Response | None = None
    excerpt = b""
    try:
        async with asyncio.timeout(timeout):
            request = client.build_request(
                "POST", url, content=body, headers=headers, timeout=httpx.Timeout(timeout)
            )
            response = await client.send(request, stream=True, follow_redirects=False)
            try:
                # The status decides; the body is read only to free the connection (unread,
                # httpcore would close it: one new connection per delivery). A refusal's first
                # bytes go into the error, for whoever investigates.
                drained = 0
                async for chunk in response.aiter_bytes():
                    if not response.is_success and len(excerpt) < _ERROR_BODY_CHARS * 4:
                        excerpt += chunk
                    drained += len(chunk)
                    if drained > _DRAINED_BODY_BYTES:
                        break
            finally:
                await response.aclose()
    except (TimeoutError, httpx.TimeoutException):
        if response is None:
            error = f"timeout after {timeout:g} s"
            return outcome(ok=False, status=None, error=error, retryable=True)
        # The status arrived in time, only the body did not: judge by the status.
    except (httpx.InvalidURL, httpx.UnsupportedProtocol, httpx.LocalProtocolError) as exc:
        return outcome(ok=False, status=None, error=f"invalid request: {exc}", retryable=False)
    except httpx.HTTPError as exc:  # connection refused or reset, DNS, TLS, protocol errors
        if response is None:
            error = f"{type(exc).__name__}: {str(exc) or 'no detail'}"
            return outcome(ok=False, status=None, error=error, retryable=True)

    status = response.status_code
    if 200 <= status < 300:
        return outcome(ok=True, status=status, error=None, retryable=False)
    text = excerpt.decode("utf-8", "replace").strip()[:_ERROR_BODY_CHARS]
    error = f"HTTP {status} {response.reason_phrase}".rstrip()
    if 300 <= status < 400:
        error += f" (redirect to {response.headers.get('location', '?')} not followed)"
    if text:
        error += f": {text}"
    retryable = status >= 500 or status in _RETRYABLE_STATUSES
    return outcome(
        ok=False,
        status=status,
        error=error,
        retryable=retryable,
        retry_after=_retry_after(response) if retryable else None,
    )
