"""The Helm chart (deploy/helm/thidua) as `helm template` renders it, with each values file:
what Kubernetes would be given must agree with the project's own declarations (topics,
subscriptions, probes, alert rules, dashboard), and the chart must refuse what cannot work.

helm is the one `make helm-tools` installs into .tools/bin (a prerequisite of `make test`)."""

import json
import os
import re
import subprocess
import sys
from collections import Counter

import pytest
import yaml
from pydantic_settings import BaseSettings

from services.notifications.config import NotificationsSettings
from services.portal.config import PortalSettings
from services.reporting.config import ReportingSettings
from services.scoring.config import ScoringSettings
from services.submissions.config import SubmissionsSettings
from shared.auth.settings import AuthSettings, check_startup_settings, load_auth_settings
from shared.contracts.asyncapi.wiring import services
from shared.contracts.topics import declared_topics, parse_partitions
from shared.http.probes import router as probes
from shared.settings import (
    CampaignSettings,
    DeploymentSettings,
    ServiceSettings,
    load_deployment_settings,
)
from tests.support.helm import (
    CHART,
    HOOK,
    REPO,
    VALUES_FILES,
    Manifest,
    component,
    helm_template,
    of_kind,
    render,
)


def partitions_of(manifests: tuple[Manifest, ...]) -> dict[str, int]:
    return {
        t["spec"]["topicName"]: int(t["spec"]["partitions"])
        for t in of_kind(manifests, "KafkaTopic")
    }


@pytest.mark.parametrize("values_file", VALUES_FILES)
def test_every_declared_topic_is_a_kafka_topic_with_its_retention(values_file: str) -> None:
    topics = {t["spec"]["topicName"]: t["spec"] for t in of_kind(render(values_file), "KafkaTopic")}

    assert set(topics) == {spec.name for spec in declared_topics()}
    for spec in declared_topics():
        assert topics[spec.name]["config"]["retention.ms"] == spec.retention_ms
        assert topics[spec.name]["config"]["cleanup.policy"] == spec.cleanup_policy


def test_default_partitions_are_the_declarations() -> None:
    assert partitions_of(render()) == {spec.name: spec.partitions for spec in declared_topics()}


@pytest.mark.parametrize("values_file", VALUES_FILES)
def test_the_services_are_told_the_partitions_the_topics_have(values_file: str) -> None:
    manifests = render(values_file)
    told = [
        parse_partitions(c["data"]["THIDUA_TOPIC_PARTITIONS"])
        for c in of_kind(manifests, "ConfigMap")
        if "THIDUA_TOPIC_PARTITIONS" in c.get("data", {})
    ]

    assert len(told) == 4  # the four services that use Kafka; the portal does not
    assert all(each == partitions_of(manifests) for each in told)


@pytest.mark.parametrize("values_file", VALUES_FILES)
def test_each_consumer_scales_on_the_lag_of_every_topic_it_reads_up_to_its_partitions(
    values_file: str,
) -> None:
    manifests = render(values_file)
    partitions = partitions_of(manifests)
    reads = {
        s.name: {contract.topic for contract in s.consumes}
        for s in services()
        if s.name in {"scoring", "notifications", "reporting"}
    }
    scaled = {component(s): s["spec"] for s in of_kind(manifests, "ScaledObject")}

    assert set(scaled) == set(reads)
    for name, spec in scaled.items():
        triggers = spec["triggers"]
        assert {t["type"] for t in triggers} == {"kafka"}
        assert {t["metadata"]["consumerGroup"] for t in triggers} == {name}
        assert {t["metadata"]["topic"] for t in triggers} == reads[name]
        # A group has one consumer per partition at most: more replicas than the busiest
        # topic's partitions would idle.
        assert spec["maxReplicaCount"] <= max(partitions[topic] for topic in reads[name])
        assert 1 <= spec["minReplicaCount"] <= spec["maxReplicaCount"]


def test_the_national_installation_has_more_partitions_and_replicas_than_the_small() -> None:
    small, national = render("values-small.yaml"), render("values-national.yaml")

    assert sum(partitions_of(national).values()) > sum(partitions_of(small).values())
    for kind, field in (
        ("ScaledObject", "maxReplicaCount"),
        ("HorizontalPodAutoscaler", "maxReplicas"),
    ):
        maxima = {component(m): m["spec"][field] for m in of_kind(small, kind)}
        assert all(m["spec"][field] > maxima[component(m)] for m in of_kind(national, kind)), kind


def test_more_replicas_than_partitions_is_refused() -> None:
    small = str(CHART / "values-small.yaml")
    result = helm_template("-f", small, "--set", "services.reporting.autoscaling.maxReplicas=7")

    assert result.returncode != 0
    assert "services.reporting.autoscaling.maxReplicas (7)" in result.stderr
    assert "partitions of the busiest topic it reads (6)" in result.stderr


def test_an_undeclared_topic_in_the_partition_counts_is_refused() -> None:
    result = helm_template("--set", "kafka.topicPartitions.thidua\\.typo\\.v1=3")

    assert result.returncode != 0
    assert '"thidua.typo.v1" is not a declared topic' in result.stderr


@pytest.mark.parametrize("values_file", VALUES_FILES)
def test_every_deployment_has_the_services_probes_and_resources(values_file: str) -> None:
    routes = {getattr(route, "path", None) for route in probes.routes}
    deployments = of_kind(render(values_file), "Deployment")

    # A service's API replicas ("reporting-api") run the service's container too.
    assert {component(d).removesuffix("-api") for d in deployments} == {
        "submissions",
        "scoring",
        "notifications",
        "reporting",
        "portal",
    }
    for deployment in deployments:
        (container,) = deployment["spec"]["template"]["spec"]["containers"]
        liveness = container["livenessProbe"]["httpGet"]["path"]
        readiness = container["readinessProbe"]["httpGet"]["path"]
        assert (liveness, readiness) == ("/health", "/ready")
        assert {liveness, readiness} <= routes
        resources = container["resources"]
        assert resources["requests"]["cpu"] and resources["requests"]["memory"]
        assert resources["limits"]["memory"]


@pytest.mark.parametrize("values_file", VALUES_FILES)
def test_migrations_run_as_a_hook_before_install_and_upgrade(values_file: str) -> None:
    jobs = of_kind(render(values_file), "Job")

    assert {component(j) for j in jobs} == {
        f"{name}-migrate" for name in ("submissions", "scoring", "notifications", "reporting")
    }
    for job in jobs:
        annotations = job["metadata"]["annotations"]
        assert set(annotations[HOOK].split(",")) == {"pre-install", "pre-upgrade"}
        (container,) = job["spec"]["template"]["spec"]["containers"]
        assert container["command"][-1] == "migrate"


STATEFUL = {"Kafka", "KafkaNodePool", "Cluster", "Database"}


def test_on_install_what_the_migrations_need_is_created_before_them() -> None:
    manifests = render()
    job_weight = int(of_kind(manifests, "Job")[0]["metadata"]["annotations"]["helm.sh/hook-weight"])
    needed = [
        m
        for m in manifests
        if m["kind"] in {*STATEFUL, "ConfigMap", "Secret"}
        and not m["metadata"]["name"].endswith("-dashboards")
    ]

    # Five services' settings, the deployment's Secret and four database roles' passwords,
    # the PostgreSQL cluster and its four databases, Kafka and its node pool.
    assert Counter(m["kind"] for m in needed) == {
        "ConfigMap": 5,
        "Secret": 5,
        "Cluster": 1,
        "Database": 4,
        "Kafka": 1,
        "KafkaNodePool": 1,
    }
    for manifest in needed:
        annotations = manifest["metadata"]["annotations"]
        assert annotations[HOOK] == "pre-install", manifest["metadata"]["name"]
        assert int(annotations["helm.sh/hook-weight"]) < job_weight
        # Helm must never delete a database or Kafka to create it again.
        deleted_before = "before-hook-creation" in annotations["helm.sh/hook-delete-policy"]
        assert deleted_before is (manifest["kind"] not in STATEFUL), manifest["metadata"]["name"]


@pytest.mark.parametrize(
    "options",
    [("--is-upgrade",), ("--set", "migrations.createDependenciesFirst=false")],
    ids=["upgrade", "install-over-kept-resources"],
)
def test_otherwise_they_are_ordinary_resources_the_release_owns(options: tuple[str, ...]) -> None:
    manifests = render("", *options)
    hooks = [m for m in manifests if HOOK in m["metadata"].get("annotations", {})]

    assert {m["kind"] for m in hooks} == {"Job"}
    for manifest in manifests:
        if manifest["kind"] in {*STATEFUL, "Secret"}:
            owner = manifest["metadata"]["annotations"]["meta.helm.sh/release-name"]
            assert owner == "thidua", manifest["metadata"]["name"]


def test_the_alert_rules_are_composes() -> None:
    compose = [
        group
        for path in sorted((REPO / "deploy" / "prometheus" / "rules").glob("*.yml"))
        for group in yaml.safe_load(path.read_text(encoding="utf-8"))["groups"]
    ]
    (rule,) = of_kind(render(), "PrometheusRule")

    assert rule["spec"]["groups"] == compose


def test_the_grafana_dashboard_is_composes() -> None:
    config_maps = of_kind(render(), "ConfigMap")
    (config_map,) = [c for c in config_maps if "grafana_dashboard" in c["metadata"]["labels"]]
    dashboards = sorted((REPO / "deploy" / "grafana" / "dashboards").glob("*.json"))

    assert {name: json.loads(text) for name, text in config_map["data"].items()} == {
        path.name: json.loads(path.read_text(encoding="utf-8")) for path in dashboards
    }


def test_managed_kafka_and_postgresql_replace_the_operators_resources() -> None:
    manifests = render(
        "",
        "--set",
        "kafka.enabled=false,kafka.external.bootstrapServers=kafka.example:9093,postgresql.enabled=false",
        *(
            arg
            for name in ("submissions", "scoring", "notifications", "reporting")
            for arg in (
                "--set",
                f"postgresql.external.databaseUrls.{name}=postgresql+asyncpg://u:p@db/{name}",
            )
        ),
    )
    kinds = {m["kind"] for m in manifests}

    assert not kinds & {"Kafka", "KafkaNodePool", "KafkaTopic", "Cluster", "Database"}
    (secret,) = [s for s in of_kind(manifests, "Secret") if s["metadata"]["name"] == "thidua"]
    assert secret["stringData"]["SCORING_DATABASE_URL"] == "postgresql+asyncpg://u:p@db/scoring"
    for scaled in of_kind(manifests, "ScaledObject"):
        servers = {t["metadata"]["bootstrapServers"] for t in scaled["spec"]["triggers"]}
        assert servers == {"kafka.example:9093"}


def test_the_portal_can_be_switched_off() -> None:
    manifests = render("", "--set", "services.portal.enabled=false")

    assert "portal" not in {component(d) for d in of_kind(manifests, "Deployment")}
    assert "portal" not in {component(h) for h in of_kind(manifests, "HorizontalPodAutoscaler")}
    (ingress,) = of_kind(manifests, "Ingress")
    rules = ingress["spec"]["rules"]
    backends = {r["http"]["paths"][0]["backend"]["service"]["name"] for r in rules}
    assert backends == {
        f"thidua-{name}" for name in ("submissions", "scoring", "notifications", "reporting")
    }


def test_the_charts_generated_files_are_up_to_date() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "deploy.helm.chart_files", "--check"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("values_file", VALUES_FILES)
def test_a_disruption_budget_only_where_two_replicas_always_run(values_file: str) -> None:
    manifests = render(values_file)
    scaled = of_kind(manifests, "ScaledObject")
    autoscaled = of_kind(manifests, "HorizontalPodAutoscaler")
    least = {component(m): m["spec"]["minReplicaCount"] for m in scaled} | {
        component(m): m["spec"]["minReplicas"] for m in autoscaled
    }
    budgets = of_kind(manifests, "PodDisruptionBudget")

    assert {component(b) for b in budgets} == {name for name, n in least.items() if n >= 2}
    assert all(b["spec"]["maxUnavailable"] == 1 for b in budgets)


@pytest.mark.parametrize(
    ("setting", "refusal"),
    [
        ("services.scoring.autoscaling.mode=kedda", "value must be one of 'hpa', 'keda', 'none'"),
        ("kafka.topicPartiton.x=1", "additional properties 'topicPartiton' not allowed"),
    ],
)
def test_a_misspelt_value_is_refused_not_ignored(setting: str, refusal: str) -> None:
    result = helm_template("--set", setting)

    assert result.returncode != 0
    assert refusal in result.stderr


def test_the_dashboard_can_query_the_clusters_data_source() -> None:
    manifests = render("", "--set", "monitoring.grafanaDatasourceUid=prometheus")
    (config_map,) = [
        c for c in of_kind(manifests, "ConfigMap") if c["metadata"]["name"].endswith("-dashboards")
    ]
    text = "".join(config_map["data"].values())

    assert '"uid": "prometheus"' in text
    assert "thidua-prometheus" not in text.replace('"uid": "thidua-overview"', "")


SETTINGS: dict[str, type[BaseSettings]] = {
    "submissions": SubmissionsSettings,
    "scoring": ScoringSettings,
    "notifications": NotificationsSettings,
    "reporting": ReportingSettings,
    "portal": PortalSettings,
}
SHARED_SETTINGS: tuple[type[BaseSettings], ...] = (
    DeploymentSettings,
    AuthSettings,
    CampaignSettings,
)
EXPANSION = re.compile(r"\$\((\w+)\)")


def container_environment(manifests: tuple[Manifest, ...], name: str) -> dict[str, str]:
    """What the service's container gets, as Kubernetes would give it: its ConfigMaps, then its
    env entries in order (a Secret's key, or a value with `$(NAME)` of an entry before it)."""
    config_maps = {c["metadata"]["name"]: c["data"] for c in of_kind(manifests, "ConfigMap")}
    secrets = {s["metadata"]["name"]: s["stringData"] for s in of_kind(manifests, "Secret")}
    (deployment,) = [d for d in of_kind(manifests, "Deployment") if component(d) == name]
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    environment: dict[str, str] = {}
    for source in container["envFrom"]:
        environment.update(config_maps[source["configMapRef"]["name"]])
    for entry in container["env"]:
        if "value" in entry:
            value = EXPANSION.sub(lambda match: environment[match.group(1)], entry["value"])
        else:
            reference = entry["valueFrom"]["secretKeyRef"]
            if reference["key"] not in secrets[reference["name"]]:
                assert reference.get("optional"), reference
                continue
            value = secrets[reference["name"]][reference["key"]]
        environment[entry["name"]] = value
    return environment


def variables_read(settings: type[BaseSettings]) -> set[str]:
    """The environment variables a settings class reads: its prefix and each field's name, or
    the field's own alias."""
    prefix = str(settings.model_config.get("env_prefix", "")).upper()
    read = set()
    for name, field in settings.model_fields.items():
        alias = field.validation_alias
        read.add(alias if isinstance(alias, str) else prefix + name.upper())
    return read


@pytest.mark.parametrize("name", sorted(SETTINGS))
def test_every_variable_the_chart_sets_is_one_the_service_reads(name: str) -> None:
    manifests = render()
    (deployment,) = [d for d in of_kind(manifests, "Deployment") if component(d) == name]
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    expanded = {m for e in container["env"] for m in EXPANSION.findall(e.get("value", ""))}
    read = variables_read(SETTINGS[name]).union(*map(variables_read, SHARED_SETTINGS))
    source = "\n".join(
        path.read_text(encoding="utf-8")
        for folder in ("services", "shared")
        for path in (REPO / folder).rglob("*.py")
    )

    for variable in set(container_environment(manifests, name)) - expanded:
        # A settings field, or a variable the code reads by its name (os.environ).
        assert variable in read or f'"{variable}"' in source, variable


@pytest.mark.parametrize("name", sorted(SETTINGS))
def test_each_service_starts_in_production_with_what_the_chart_gives_it(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    manifests = render("values-national.yaml")
    environment = container_environment(manifests, name)
    for variable in list(os.environ):
        if variable.startswith(("THIDUA_", f"{name.upper()}_")):
            monkeypatch.delenv(variable)
    for variable, value in environment.items():
        monkeypatch.setenv(variable, value)
    load_auth_settings.cache_clear()
    try:
        deployment = load_deployment_settings()
        check_startup_settings(deployment)  # UnsafeSettings if it would refuse to start
    finally:
        load_auth_settings.cache_clear()
    settings = SETTINGS[name]()

    assert deployment.is_production
    (service,) = [s for s in of_kind(manifests, "Service") if component(s) == name]
    assert getattr(settings, "http_port") == service["spec"]["ports"][0]["port"]  # noqa: B009
    if isinstance(settings, PortalSettings):
        assert settings.problems() == []
        assert settings.submissions_url == "http://thidua-submissions:8001"
        return
    assert isinstance(settings, ServiceSettings)
    assert settings.database_url.startswith(f"postgresql+asyncpg://thidua_{name}:")
    assert settings.database_url.endswith(f"@thidua-pg-rw:5432/thidua_{name}")
    assert settings.kafka_bootstrap_servers == "thidua-kafka-kafka-bootstrap:9092"
    assert {t.name: t.partitions for t in settings.topics()} == partitions_of(manifests)


def test_a_rebuild_holds_reporting_at_zero_while_a_job_replays_the_topics() -> None:
    manifests = render("", "--set", "rebuild.reporting=true")
    (scaled,) = [s for s in of_kind(manifests, "ScaledObject") if component(s) == "reporting"]
    jobs = [
        j for j in of_kind(manifests, "Job") if HOOK not in j["metadata"].get("annotations", {})
    ]

    assert scaled["metadata"]["annotations"]["autoscaling.keda.sh/paused-replicas"] == "0"
    (job,) = jobs
    (container,) = job["spec"]["template"]["spec"]["containers"]
    assert container["command"] == ["python", "-m", "services.reporting", "rebuild"]
    assert container["envFrom"] == [{"configMapRef": {"name": "thidua-reporting"}}]
    assert {"REPORTING_DATABASE_URL", "THIDUA_AUTH_SECRET"} <= {e["name"] for e in container["env"]}


def test_without_a_rebuild_reporting_scales_and_no_job_replays() -> None:
    manifests = render()
    (scaled,) = [s for s in of_kind(manifests, "ScaledObject") if component(s) == "reporting"]

    assert "annotations" not in scaled["metadata"]
    assert all(HOOK in j["metadata"]["annotations"] for j in of_kind(manifests, "Job"))


def test_a_rebuild_with_fixed_replicas_sets_them_to_zero() -> None:
    fixed = "services.reporting.autoscaling.mode=none,services.reporting.replicas=2"
    manifests = render("", "--set", f"rebuild.reporting=true,{fixed}")
    (deployment,) = [d for d in of_kind(manifests, "Deployment") if component(d) == "reporting"]
    (running,) = [
        d for d in of_kind(render("", "--set", fixed), "Deployment") if component(d) == "reporting"
    ]

    assert deployment["spec"]["replicas"] == 0
    assert running["spec"]["replicas"] == 2


def test_a_rebuild_under_a_cpu_autoscaler_is_refused() -> None:
    result = helm_template(
        "--set",
        "rebuild.reporting=true,services.reporting.autoscaling.mode=hpa,"
        "services.reporting.autoscaling.targetCPUUtilizationPercentage=70",
    )

    assert result.returncode != 0
    assert "a HorizontalPodAutoscaler cannot" in result.stderr


def test_api_replicas_are_a_deployment_and_service_of_their_own_that_callers_go_to() -> None:
    manifests = render("values-national.yaml")  # reporting: 2 API replicas beside the consumers
    deployments = {component(d): d for d in of_kind(manifests, "Deployment")}
    services = {component(s): s for s in of_kind(manifests, "Service")}
    api = deployments["reporting-api"]
    (container,) = api["spec"]["template"]["spec"]["containers"]
    (own_container,) = deployments["reporting"]["spec"]["template"]["spec"]["containers"]

    assert api["spec"]["replicas"] == 2
    assert {"name": "REPORTING_ROLE", "value": "api"} in container["env"]
    assert "REPORTING_ROLE" not in {e["name"] for e in own_container["env"]}
    # Two Deployments whose selectors do not overlap; the Service selects the API replicas.
    selector = api["spec"]["selector"]["matchLabels"]
    assert selector["app.kubernetes.io/component"] == "reporting-api"
    assert services["reporting-api"]["spec"]["selector"] == selector
    assert (
        services["reporting"]["spec"]["selector"]
        == (deployments["reporting"]["spec"]["selector"]["matchLabels"])
    )
    # The dashboard's host and the portal call the API replicas.
    (ingress,) = of_kind(manifests, "Ingress")
    backends = {
        rule["host"]: rule["http"]["paths"][0]["backend"]["service"]["name"]
        for rule in ingress["spec"]["rules"]
    }
    assert backends["dashboard.thidua.example"] == "thidua-reporting-api"
    assert backends["api.thidua.example"] == "thidua-submissions"
    portal = next(
        c for c in of_kind(manifests, "ConfigMap") if c["metadata"]["name"] == "thidua-portal"
    )
    assert portal["data"]["PORTAL_REPORTING_URL"] == "http://thidua-reporting-api:8004"
    assert portal["data"]["PORTAL_SCORING_URL"] == "http://thidua-scoring:8002"
    # One scrape job covers both Deployments.
    monitor = next(m for m in of_kind(manifests, "ServiceMonitor") if component(m) == "reporting")
    (expression,) = monitor["spec"]["selector"]["matchExpressions"]
    assert expression["values"] == ["reporting", "reporting-api"]


def test_without_api_replicas_there_is_no_api_deployment_and_a_rebuild_holds_them_too() -> None:
    assert not [d for d in of_kind(render(), "Deployment") if component(d).endswith("-api")]
    held = render("values-national.yaml", "--set", "rebuild.reporting=true")
    (api,) = [d for d in of_kind(held, "Deployment") if component(d) == "reporting-api"]
    assert api["spec"]["replicas"] == 0
