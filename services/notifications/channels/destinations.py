"""Where a webhook may point (issue 14): not at the machines around us.

A subscriber's URL is typed by an admin, and the service then POSTs to it from inside the
network: pointed at `http://127.0.0.1:…`, a private address, a link-local one (the cloud's
metadata service, 169.254.169.254) or the like, it would reach what the internet cannot. So a
destination must resolve to public addresses only (`ipaddress`'s `is_global`, which also
excludes shared, reserved, documentation and multicast ranges; an IPv4-mapped IPv6 address is
judged as its IPv4), unless it falls in a network the deployment allow-lists
(`NOTIFICATIONS_WEBHOOK_ALLOWED_NETWORKS`, e.g. `127.0.0.0/8` for the tests' local receivers).
In production (`THIDUA_ENV=production`) a destination must also be https.

Before any address, the host's name must be one the HTTP client and the resolver can send:
labels of 1 to 63 characters between dots (RFC 1035), as httpx and getaddrinfo encode them,
each valid IDNA 2008 (`host_refusal`). pydantic's URL type lets `http://a..b/`, a 70-character
label or `http://🙂.com/` through, and the client's UnicodeError was a 500 at registration and
a crash at every delivery.

Checked twice: when the subscriber is registered (a 422 naming `url`), and at every delivery,
where the name is resolved again and the connection made to an address just checked
(`GuardedBackend`): a name that resolved to a public address at registration may resolve to
127.0.0.1 later (DNS rebinding), and only the address actually connected to counts.
"""

import asyncio
import ipaddress
import socket
import ssl
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import urlsplit

import httpcore
import httpx

from shared.refusals import Explained

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address

# How long registration waits for a name to resolve: a name that does not resolve now is
# accepted (DNS may be down a moment) and checked again at every delivery.
_RESOLVE_SECONDS = 3.0

# A label (the text between two dots of a host name) is 1 to 63 octets (RFC 1035, 2.3.4); the
# resolver's "idna" codec refuses any other.
_LABEL_MAX = 63


class DestinationRefused(Explained):
    """A webhook destination the service will not send to; `code` for the API's error."""


def parse_networks(text: str) -> tuple[Network, ...]:
    """'127.0.0.0/8, ::1/128' as networks (ValueError for anything else)."""
    return tuple(ipaddress.ip_network(part.strip()) for part in text.split(",") if part.strip())


def _judged(address: Address) -> Address:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def refusal_for(address: Address, allowed: Sequence[Network]) -> DestinationRefused | None:
    judged = _judged(address)
    if judged.is_global or any(judged in network for network in allowed):
        return None
    kind = (
        "loopback"
        if judged.is_loopback
        else "link-local"
        if judged.is_link_local
        else "private"
        if judged.is_private
        else "not public"
    )
    return DestinationRefused(
        "destination_not_public",
        f"Địa chỉ webhook phải là địa chỉ công khai trên Internet, không phải {judged} ({kind})",
        f"A webhook must point at a public address, not {judged} ({kind})",
    )


def _host_refused(code: str, why_vi: str, why_en: str) -> DestinationRefused:
    return DestinationRefused(
        code,
        f"Tên máy chủ trong địa chỉ webhook không hợp lệ: {why_vi}",
        f"The webhook's host name is invalid: {why_en}",
    )


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def host_refusal(url: str) -> DestinationRefused | None:
    """Why no request can be sent to `url`'s host, or None: the host as httpx encodes it for
    the wire must be labels of 1 to 63 characters that httpx's idna and the resolver's codec
    both take."""
    try:
        # What httpx sends and hands to the connection (and so to getaddrinfo): an IDN in
        # punycode, an IPv6 literal without its brackets.
        parsed = httpx.URL(url)
        host = parsed.raw_host.decode("ascii")
    except httpx.InvalidURL as exc:
        return _host_refused("host_invalid", "không đọc được hay không mã hoá được", str(exc))
    if _is_address(host):
        return None
    labels = host.removesuffix(".").split(".")  # one final dot is the root: "example.vn."
    if any(not label for label in labels):
        return _host_refused(
            "host_label_empty",
            f"'{host}' có phần trống (hai dấu chấm liền nhau, hoặc dấu chấm ở đầu)",
            f"'{host}' has an empty label (two dots in a row, or a leading dot)",
        )
    if long := next((label for label in labels if len(label) > _LABEL_MAX), None):
        shown = f"{long[:20]}…"
        return _host_refused(
            "host_label_too_long",
            f"phần '{shown}' dài {len(long)} ký tự (tên có dấu hay ký tự ngoài ASCII được "
            f"đếm theo mã punycode), mỗi phần giữa hai dấu chấm tối đa {_LABEL_MAX} ký tự",
            f"the label '{shown}' is {len(long)} characters long (a non-ASCII name counted in "
            f"punycode), each label between dots is at most {_LABEL_MAX}",
        )
    try:
        # httpx decodes a punycode host for the Host header with the idna package (IDNA 2008),
        # which refuses what pydantic's encoder (UTS 46) took: http://🙂.com/ is stored as
        # xn--938h.com, and building each request raised InvalidCodepoint. getaddrinfo then
        # encodes the name with Python's "idna" codec.
        _ = parsed.host
        host.encode("idna")
    except UnicodeError as exc:  # idna.IDNAError is one
        return _host_refused(
            "host_not_encodable",
            f"'{host}' không mã hoá được theo chuẩn tên miền quốc tế (IDNA)",
            f"'{host}' cannot be encoded as an internationalised domain name (IDNA): {exc}",
        )
    return None


# RFC 6761, 6.3: "localhost" and every name under it are the loopback, whatever a resolver
# says; one without them (no /etc/hosts entry, or "localhost." with its final dot, which
# /etc/hosts does not match) answered nothing, and registration took the name as "not
# resolvable now".
_LOOPBACK = ipaddress.ip_address("127.0.0.1")


def _names_loopback(host: str) -> bool:
    name = host.lower().removesuffix(".")
    return name == "localhost" or name.endswith(".localhost")


async def resolve(host: str, port: int) -> list[Address]:
    """Every address `host` resolves to (a literal address is itself; localhost the
    loopback)."""
    try:
        return [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        pass
    if _names_loopback(host):
        return [_LOOPBACK]
    infos = await asyncio.get_running_loop().getaddrinfo(
        host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
    )
    # An IPv6 scope ("fe80::1%eth0") is no part of the address.
    return [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]


async def check_destination(url: str, allowed: Sequence[Network], *, require_https: bool) -> None:
    """At registration: `DestinationRefused` if the URL is http where https is required, its
    host cannot be encoded (`host_refusal`), or it names (or resolves to) an address that is
    not public and not allow-listed."""
    parts = urlsplit(url)
    if require_https and parts.scheme != "https":
        raise DestinationRefused(
            "https_required",
            "Địa chỉ webhook phải dùng https",
            "A webhook must use https",
        )
    if (refused := host_refusal(url)) is not None:
        raise refused
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        addresses = await asyncio.wait_for(resolve(host, port), _RESOLVE_SECONDS)
    except (OSError, TimeoutError):
        return  # unknown for now: every delivery checks it again
    for address in addresses:
        if (refused := refusal_for(address, allowed)) is not None:
            raise refused


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """httpcore's own backend, but a connection goes only to an address just resolved and
    found public (or allow-listed): the check and the connection use the same address."""

    def __init__(self, allowed: Sequence[Network]) -> None:
        self._allowed = tuple(allowed)
        self._backend = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's interface)
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            addresses = await resolve(host, port)
        # UnicodeError: a name the resolver cannot encode, which post_webhook checks first;
        # here too, so that it is a failed connection whoever sends, never an exception
        # httpx does not know.
        except (OSError, UnicodeError) as exc:
            raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from exc
        for address in addresses:
            if (refused := refusal_for(address, self._allowed)) is not None:
                raise httpcore.ConnectError(f"destination refused: {refused.message_en}")
        # TLS still checks the certificate against the name: httpcore passes the URL's host
        # as the server name, whatever address the stream connects to.
        return await self._backend.connect_tcp(
            str(addresses[0]), port, timeout, local_address, socket_options
        )

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's interface)
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("webhooks are sent over TCP only")

    async def sleep(self, seconds: float) -> None:
        await self._backend.sleep(seconds)


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport with its connection pool built on `GuardedBackend`.

    httpx takes no network backend of its own, so the pool it made is replaced by the same
    pool with ours; a test (tests/unit/test_webhook_destinations.py) proves the replacement
    still refuses, should httpx change how it keeps its pool."""

    def __init__(
        self,
        allowed: Sequence[Network],
        *,
        verify: ssl.SSLContext | bool = True,
        limits: httpx.Limits,
    ) -> None:
        super().__init__(verify=verify, limits=limits)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(verify=verify),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=GuardedBackend(allowed),
        )
