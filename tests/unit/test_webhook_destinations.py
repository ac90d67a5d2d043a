"""A webhook may not point at the machines around the service (issue 14, point 5): loopback,
private, link-local (the cloud's metadata service) and other non-public addresses are refused
when a subscriber is registered and again when a delivery connects (a name may resolve
elsewhere by then); a deployment allow-lists networks (the tests' receivers on 127.0.0.1);
production needs https. On the notifications app and a real receiver."""

import contextlib
import ipaddress
from collections.abc import Iterator
from uuid import uuid4

import httpx
import pytest
from fastapi.testclient import TestClient

from services.notifications.channels.destinations import GuardedTransport, parse_networks
from services.notifications.channels.webhook import post_webhook
from services.notifications.config import NotificationsSettings
from shared.settings import DeploymentSettings, Environment
from tests.support.receivers import WebhookReceivers
from tests.unit.conftest import ADMIN

LOOPBACK = parse_networks("127.0.0.0/8")


def _register(notifications: TestClient, url: str) -> httpx.Response:
    body = {"name": f"Hệ thống {uuid4().hex[:6]}", "url": url}
    answer: httpx.Response = notifications.post("/api/v1/subscribers", json=body, headers=ADMIN)
    return answer


@contextlib.contextmanager
def _app_state(client: TestClient, **values: object) -> Iterator[None]:
    state = client.app.state  # type: ignore[attr-defined]
    before = {name: getattr(state, name) for name in values}
    for name, value in values.items():
        setattr(state, name, value)
    try:
        yield
    finally:
        for name, value in before.items():
            setattr(state, name, value)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/hook",
        "http://localhost:8080/hook",
        "http://[::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://10.0.0.5/hook",
        "https://192.168.1.10/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://100.64.0.1/hook",
        "http://0.0.0.0:8003/hook",
    ],
)
def test_a_subscriber_may_not_point_at_a_non_public_address(
    notifications: TestClient, url: str
) -> None:
    answer = _register(notifications, url)
    assert answer.status_code == 422, answer.text
    [error] = answer.json()["errors"]
    assert (error["field"], error["code"]) == ("url", "destination_not_public")
    assert "công khai" in error["message_vi"] and "public address" in error["message_en"]


def test_a_public_address_or_a_name_not_resolvable_now_is_registered(
    notifications: TestClient,
) -> None:
    assert _register(notifications, "https://8.8.8.8/hook").status_code == 201
    # Checked again at every delivery, when it resolves.
    assert _register(notifications, "https://hr.invalid/hook").status_code == 201


def test_an_allow_listed_network_may_be_used_and_production_needs_https(
    notifications: TestClient,
) -> None:
    settings: NotificationsSettings = notifications.app.state.settings  # type: ignore[attr-defined]
    allowing = settings.model_copy(update={"webhook_allowed_networks": "127.0.0.0/8"})
    with _app_state(notifications, settings=allowing):
        assert _register(notifications, "http://127.0.0.1:9/hook").status_code == 201
        assert _register(notifications, "http://10.0.0.5/hook").status_code == 422
    production = DeploymentSettings(env=Environment.PRODUCTION)
    with _app_state(notifications, deployment=production):
        answer = _register(notifications, "http://8.8.8.8/hook")
        assert answer.status_code == 422
        assert answer.json()["errors"][0]["code"] == "https_required"


def test_the_allowed_networks_setting_refuses_a_typo() -> None:
    with pytest.raises(ValueError, match="webhook_allowed_networks"):
        NotificationsSettings(webhook_allowed_networks="127.0.0.0/8, localhost")
    assert NotificationsSettings().allowed_networks() == ()
    both = NotificationsSettings(webhook_allowed_networks="127.0.0.0/8, ::1/128")
    assert [str(network) for network in both.allowed_networks()] == ["127.0.0.0/8", "::1/128"]


@pytest.fixture(scope="module")
def receiver() -> Iterator[WebhookReceivers]:
    receivers = WebhookReceivers()
    server = receivers.start()
    yield receivers
    server.should_exit = True


async def _deliver(url: str, allowed: tuple[ipaddress.IPv4Network, ...]) -> tuple[bool, str]:
    limits = httpx.Limits(max_connections=2, max_keepalive_connections=2)
    async with httpx.AsyncClient(transport=GuardedTransport(allowed, limits=limits)) as client:
        outcome = await post_webhook(
            client, url, b"{}", "secret", uuid4(), "test.event.v1", timeout=5
        )
    return outcome.ok, outcome.error or ""


async def test_a_delivery_connects_only_to_an_address_it_just_checked(
    receiver: WebhookReceivers,
) -> None:
    receiver.secrets["ok"] = "secret"
    before = receiver.answered["ok"]
    # Registered while "localhost" (say) resolved to a public address, it now resolves to
    # 127.0.0.1: the delivery is refused at connection, and nothing reaches the receiver.
    ok, error = await _deliver(f"http://localhost:{receiver.port}/ok", ())
    assert not ok and "destination refused" in error and "127.0.0.1" in error
    ok, error = await _deliver(receiver.url("ok"), ())
    assert not ok and "destination refused" in error
    assert receiver.answered["ok"] == before
    # Allow-listed, the same receiver gets it.
    ok, _ = await _deliver(receiver.url("ok"), LOOPBACK)  # type: ignore[arg-type]
    assert ok
    assert receiver.answered["ok"] == before + 1


# A host name is labels of 1 to 63 characters between dots (RFC 1035), as the system's
# resolver encodes it (Python's "idna" codec, inside getaddrinfo): pydantic's URL type lets
# these through, and the resolver's UnicodeError was an HTTP 500 at registration and a crash
# at every delivery.
@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("http://a..b/", "host_label_empty"),
        ("http://.../", "host_label_empty"),
        ("http://\u00ad.com/", "host_label_empty"),  # the soft hyphen is dropped: ".com"
        (f"http://{'a' * 70}.com/", "host_label_too_long"),
        (f"http://{'б' * 64}.com/", "host_label_too_long"),  # 64 letters, longer in punycode
    ],
)
def test_a_host_with_an_empty_or_over_long_label_is_refused_naming_the_url(
    notifications: TestClient, url: str, code: str
) -> None:
    answer = _register(notifications, url)
    assert answer.status_code == 422, answer.text
    [error] = answer.json()["errors"]
    assert (error["field"], error["code"]) == ("url", code)
    assert "Tên máy chủ" in error["message_vi"] and "host name" in error["message_en"]


async def test_a_delivery_to_a_host_with_a_bad_label_fails_for_good_instead_of_raising() -> None:
    # Stored before registration refused it: the delivery is dead with its reason, not a crash
    # logged and retried.
    for url, reason in [("http://a..b/", "empty label"), (f"http://{'a' * 70}.com/", "63")]:
        limits = httpx.Limits(max_connections=1)
        async with httpx.AsyncClient(transport=GuardedTransport((), limits=limits)) as client:
            outcome = await post_webhook(client, url, b"{}", "s", uuid4(), "t.v1", timeout=5)
        assert (outcome.ok, outcome.status_code, outcome.retryable) == (False, None, False)
        assert outcome.error is not None and reason in outcome.error


def test_a_host_httpx_cannot_encode_is_refused_at_registration(
    notifications: TestClient,
) -> None:
    # pydantic stores http://🙂.com/ as xn--938h.com, which IDNA 2008 (httpx's idna) refuses
    # to decode for the Host header: every delivery raised.
    answer = _register(notifications, "http://🙂.com/")
    assert answer.status_code == 422, answer.text
    [error] = answer.json()["errors"]
    assert (error["field"], error["code"]) == ("url", "host_not_encodable")
    assert "IDNA" in error["message_vi"] and "U+1F642" in error["message_en"]
    assert _register(notifications, "https://bücher.example/hook").status_code == 201


async def test_a_delivery_to_a_stored_host_httpx_cannot_encode_fails_for_good() -> None:
    limits = httpx.Limits(max_connections=1)
    async with httpx.AsyncClient(transport=GuardedTransport((), limits=limits)) as client:
        outcome = await post_webhook(
            client, "http://xn--938h.com/hook", b"{}", "s", uuid4(), "t.v1", timeout=5
        )
    assert (outcome.ok, outcome.status_code, outcome.retryable) == (False, None, False)
    assert outcome.error is not None and "U+1F642" in outcome.error


@pytest.mark.parametrize(
    "url", ["http://localhost./hook", "http://api.localhost/hook", "http://LOCALHOST./hook"]
)
def test_a_localhost_name_is_loopback_even_where_the_resolver_does_not_know_it(
    notifications: TestClient, url: str
) -> None:
    # RFC 6761: localhost and every name under it are the loopback. A resolver without them
    # (no /etc/hosts entry, "localhost." with its final dot) made them "not resolvable now",
    # and so registered; the allow-list still lets a development receiver use them.
    answer = _register(notifications, url)
    assert answer.status_code == 422, answer.text
    assert answer.json()["errors"][0]["code"] == "destination_not_public"
    settings: NotificationsSettings = notifications.app.state.settings  # type: ignore[attr-defined]
    allowing = settings.model_copy(update={"webhook_allowed_networks": "127.0.0.0/8"})
    with _app_state(notifications, settings=allowing):
        assert _register(notifications, url).status_code == 201
