"""The chart's NetworkPolicies (deploy/helm/thidua/templates/networkpolicy.yaml), judged the way
a network plugin would: a connection from one endpoint to another passes if the source's
policies let it out and the destination's let it in (a pod no policy selects for a direction is
not restricted in it). The portal must reach each service's API; nobody else in the namespace
may, and the services may reach only DNS, Kafka and their database (notifications' senders: the
public internet)."""

import ipaddress
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.support.helm import Manifest, component, helm_template, of_kind, render

NAMESPACE = "thidua"
SERVICES = {"submissions": 8001, "scoring": 8002, "notifications": 8003, "reporting": 8004}


@dataclass(frozen=True)
class Endpoint:
    """A pod (its labels, in a namespace with labels) or an address outside the cluster."""

    namespace: str = ""
    namespace_labels: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] | None = None
    ip: str = ""


def pod(namespace: str, **labels: str) -> Endpoint:
    return Endpoint(namespace, {"kubernetes.io/metadata.name": namespace}, labels)


def release_pod(name: str) -> Endpoint:
    return pod(
        NAMESPACE,
        **{
            "app.kubernetes.io/name": "thidua",
            "app.kubernetes.io/instance": "thidua",
            "app.kubernetes.io/component": name,
        },
    )


def address(ip: str) -> Endpoint:
    return Endpoint(ip=ip)


INGRESS_CONTROLLER = pod("ingress-nginx", **{"app.kubernetes.io/name": "ingress-nginx"})
PROMETHEUS = pod("monitoring", **{"app.kubernetes.io/name": "prometheus"})
NEIGHBOUR = pod(NAMESPACE, app="something-else")  # any other pod of the namespace
KAFKA_BROKER = pod(
    NAMESPACE,
    **{"strimzi.io/cluster": "thidua-kafka", "strimzi.io/kind": "Kafka"},
    **{"strimzi.io/broker-role": "true"},
)
POSTGRESQL = pod(NAMESPACE, **{"cnpg.io/cluster": "thidua-pg", "cnpg.io/instanceRole": "primary"})
KUBE_DNS = pod("kube-system", **{"k8s-app": "kube-dns"})
PUBLIC = address("203.0.113.7")


def selects(selector: dict[str, Any], labels: dict[str, str]) -> bool:
    if any(labels.get(key) != value for key, value in selector.get("matchLabels", {}).items()):
        return False
    for expression in selector.get("matchExpressions", []):
        key, operator, values = expression["key"], expression["operator"], expression.get("values")
        present = key in labels
        ok = {
            "In": present and labels.get(key) in (values or []),
            "NotIn": not present or labels.get(key) not in (values or []),
            "Exists": present,
            "DoesNotExist": not present,
        }[operator]
        if not ok:
            return False
    return True


def peer_matches(peer: dict[str, Any], other: Endpoint) -> bool:
    if "ipBlock" in peer:
        if not other.ip:
            return False  # pods are judged by their labels here, not their addresses
        ip = ipaddress.ip_address(other.ip)
        block = peer["ipBlock"]
        inside = ip.version == ipaddress.ip_network(block["cidr"]).version and ip in (
            ipaddress.ip_network(block["cidr"])
        )
        excluded = any(
            ip.version == ipaddress.ip_network(e).version and ip in ipaddress.ip_network(e)
            for e in block.get("except", [])
        )
        return inside and not excluded
    if other.labels is None:
        return False  # a selector names pods, never an outside address
    if "namespaceSelector" in peer:
        in_namespace = selects(peer["namespaceSelector"], other.namespace_labels)
    else:
        in_namespace = other.namespace == NAMESPACE
    return in_namespace and selects(peer.get("podSelector", {}), other.labels)


def rule_allows(
    rule: dict[str, Any], peers_key: str, other: Endpoint, port: int, protocol: str
) -> bool:
    ports = rule.get("ports")
    if ports and not any(
        p.get("port") == port and p.get("protocol", "TCP") == protocol for p in ports
    ):
        return False
    peers = rule.get(peers_key)
    return not peers or any(peer_matches(peer, other) for peer in peers)


def side_allows(
    policies: list[Manifest],
    subject: Endpoint,
    direction: str,
    other: Endpoint,
    port: int,
    protocol: str,
) -> bool:
    """Whether `subject`'s policies let a connection with `other` through in `direction`."""
    assert subject.labels is not None
    governing = [
        p
        for p in policies
        if subject.namespace == NAMESPACE
        and direction in p["spec"]["policyTypes"]
        and selects(p["spec"]["podSelector"], subject.labels)
    ]
    if not governing:
        return True
    key, peers_key = ("ingress", "from") if direction == "Ingress" else ("egress", "to")
    return any(
        rule_allows(rule, peers_key, other, port, protocol)
        for p in governing
        for rule in p["spec"].get(key) or []
    )


def allowed(
    policies: list[Manifest],
    source: Endpoint,
    destination: Endpoint,
    port: int,
    protocol: str = "TCP",
) -> bool:
    out = source.labels is None or side_allows(
        policies, source, "Egress", destination, port, protocol
    )
    into = destination.labels is None or side_allows(
        policies, destination, "Ingress", source, port, protocol
    )
    return out and into


def policies_of(values_file: str = "", *options: str) -> list[Manifest]:
    return of_kind(render(values_file, *options), "NetworkPolicy")


@pytest.mark.parametrize("values_file", ["", "values-small.yaml", "values-national.yaml"])
def test_every_workload_is_selected_and_refuses_what_no_rule_allows(values_file: str) -> None:
    manifests = render(values_file)
    policies = of_kind(manifests, "NetworkPolicy")
    workloads = of_kind(manifests, "Deployment") + of_kind(manifests, "Job")

    for workload in workloads:
        labels = workload["spec"]["template"]["metadata"]["labels"]
        (governing,) = [p for p in policies if selects(p["spec"]["podSelector"], labels)]
        assert "Ingress" in governing["spec"]["policyTypes"], component(workload)
        for rule in governing["spec"].get("ingress") or []:
            # Never from everywhere, never on every port.
            assert rule["from"] and rule["ports"], component(workload)
        if workload["kind"] == "Deployment":
            assert "Egress" in governing["spec"]["policyTypes"], component(workload)
        target = pod(NAMESPACE, **labels)
        assert not allowed(policies, NEIGHBOUR, target, 8001), component(workload)


@pytest.mark.parametrize("values_file", ["", "values-national.yaml"])
def test_the_portal_reaches_each_services_api_and_no_other_pod_of_the_namespace_does(
    values_file: str,
) -> None:
    policies = policies_of(values_file)
    portal = release_pod("portal")
    # The national values give reporting API replicas, which the portal calls instead.
    called = {
        name: f"{name}-api" if (values_file and name == "reporting") else name for name in SERVICES
    }

    for name, port in SERVICES.items():
        api = release_pod(called[name])
        assert allowed(policies, portal, api, port), name
        assert not allowed(policies, portal, api, 5432), name  # its HTTP port only
        assert not allowed(policies, NEIGHBOUR, api, port), name
        # The services meet on Kafka: none calls another over HTTP.
        for other in SERVICES:
            if other != name:
                assert not allowed(policies, release_pod(other), api, port), (other, name)
        assert allowed(policies, INGRESS_CONTROLLER, api, port), name
        assert allowed(policies, PROMETHEUS, api, port), name
    if values_file:
        consuming = release_pod("reporting")
        assert not allowed(policies, portal, consuming, 8004)
        assert not allowed(policies, INGRESS_CONTROLLER, consuming, 8004)
        assert allowed(policies, PROMETHEUS, consuming, 8004)
    assert allowed(policies, INGRESS_CONTROLLER, portal, 8005)
    assert not allowed(policies, PROMETHEUS, portal, 8005)  # the portal serves no /metrics
    assert not allowed(policies, release_pod("scoring"), portal, 8005)
    assert not allowed(policies, portal, KAFKA_BROKER, 9092)  # the portal uses no Kafka
    assert not allowed(policies, portal, PUBLIC, 443)


def test_the_services_reach_dns_kafka_and_their_database_and_only_notifications_the_internet() -> (
    None
):
    policies = policies_of()

    for name in SERVICES:
        service = release_pod(name)
        assert allowed(policies, service, KUBE_DNS, 53, "UDP"), name
        assert allowed(policies, service, KAFKA_BROKER, 9092), name
        assert allowed(policies, service, POSTGRESQL, 5432), name
        assert not allowed(policies, service, KAFKA_BROKER, 5432), name
        assert not allowed(policies, service, NEIGHBOUR, 8080), name
        assert allowed(policies, service, PUBLIC, 443) is (name == "notifications"), name
    notifications = release_pod("notifications")
    assert allowed(policies, notifications, address("2001:db8::1"), 8443)
    for private in ("10.1.2.3", "172.20.0.5", "192.168.1.1", "169.254.169.254", "fd00::1"):
        assert not allowed(policies, notifications, address(private), 443), private


def test_notifications_api_replicas_send_nothing_so_get_no_internet() -> None:
    policies = policies_of("", "--set", "services.notifications.apiReplicas=1")

    assert allowed(policies, release_pod("notifications"), PUBLIC, 443)
    assert not allowed(policies, release_pod("notifications-api"), PUBLIC, 443)
    assert allowed(policies, release_pod("portal"), release_pod("notifications-api"), 8003)


def test_managed_kafka_and_postgresql_are_reached_on_their_ports() -> None:
    # ci/managed-services-values.yaml: brokers at :9092, databases at :5432, no portal.
    policies = policies_of("ci/managed-services-values.yaml")
    managed = address("198.51.100.7")

    for name in SERVICES:
        service = release_pod(name)
        assert allowed(policies, service, managed, 9092), name
        assert allowed(policies, service, managed, 5432), name
        # (notifications' senders reach any public address, a managed service's among them)
        assert allowed(policies, service, managed, 443) is (name == "notifications"), name
    moved = policies_of(
        "ci/managed-services-values.yaml",
        "--set",
        "postgresql.external.databaseUrls.scoring=postgresql+asyncpg://u:p@db.example:6432/s,"
        "networkPolicy.egress.managedKafka.to[0].ipBlock.cidr=198.51.100.0/24",
    )
    assert allowed(moved, release_pod("scoring"), managed, 6432)
    assert allowed(moved, release_pod("scoring"), managed, 9092)
    assert not allowed(moved, release_pod("scoring"), address("192.0.2.1"), 9092)


def test_policies_can_be_switched_off_or_left_to_ingress() -> None:
    assert not policies_of("", "--set", "networkPolicy.enabled=false")
    ingress_only = policies_of("", "--set", "networkPolicy.egress.restricted=false")
    assert all(p["spec"]["policyTypes"] == ["Ingress"] for p in ingress_only)
    assert allowed(ingress_only, release_pod("scoring"), PUBLIC, 443)
    assert not allowed(ingress_only, NEIGHBOUR, release_pod("scoring"), 8002)


@pytest.mark.parametrize(
    ("option", "setting", "refusal"),
    [
        (
            "--set",
            "networkPolicy.prometheus.namespaceSelectr.x=y",
            "'namespaceSelectr' not allowed",
        ),
        # An empty peer, or an empty `to`, would mean everyone, everywhere.
        ("--set-json", "networkPolicy.apiClients=[{}]", "minProperties: got 0, want 1"),
        ("--set-json", "networkPolicy.egress.notificationsTo=[]", "minItems: got 0, want 1"),
        (
            "--set",
            "networkPolicy.egress.notificationsTo=null",
            "missing property 'notificationsTo'",
        ),
    ],
)
def test_a_misspelt_or_empty_peer_is_refused(option: str, setting: str, refusal: str) -> None:
    result = helm_template(option, setting)

    assert result.returncode != 0
    assert refusal in result.stderr
