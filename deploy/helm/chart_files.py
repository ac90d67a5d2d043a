"""The files the Helm chart reads with `.Files.Get`, generated from the project's own sources.

Helm reads nothing outside the chart's folder, so what the chart must share with the rest of
the project is copied into `deploy/helm/thidua/files/` by this script, never by hand:

- `topics.yaml`: every declared topic (`shared.contracts.topics.declared_topics()`: name,
  partitions, retention, cleanup policy) and the topics each consumer group reads (its
  bootstrap's subscriptions), for the `KafkaTopic`s and the KEDA triggers and their bounds;
- `prometheus-rules/*.yml`: compose's alerting rules (`deploy/prometheus/rules/`), for the
  `PrometheusRule`;
- `dashboards/*.json`: the Grafana dashboards (`deploy/grafana/dashboards/`).

    python -m deploy.helm.chart_files          # write them
    python -m deploy.helm.chart_files --check  # exit 1, naming them, if any is stale
"""

import argparse
import sys
from pathlib import Path

import yaml

from shared.contracts.asyncapi.wiring import services
from shared.contracts.topics import declared_topics

REPO = Path(__file__).resolve().parents[2]
CHART_FILES = REPO / "deploy" / "helm" / "thidua" / "files"
RULES = REPO / "deploy" / "prometheus" / "rules"
DASHBOARDS = REPO / "deploy" / "grafana" / "dashboards"

COMMAND = "python -m deploy.helm.chart_files"


def _banner(source: str) -> str:
    return f"# Generated from {source} by `{COMMAND}`: do not edit, regenerate.\n"


def topics_yaml() -> str:
    topics = [
        {
            "name": spec.name,
            "partitions": spec.partitions,
            "retention_ms": spec.retention_ms,
            "cleanup_policy": spec.cleanup_policy,
            "producer": spec.producer,
        }
        for spec in declared_topics()
    ]
    consumers = {
        service.name: sorted({contract.topic for contract in service.consumes})
        for service in services()
    }
    body = yaml.safe_dump(
        {"topics": topics, "consumers": consumers}, sort_keys=False, allow_unicode=True
    )
    return _banner("shared/contracts/topics.py and the services' subscriptions") + body


def expected_files() -> dict[Path, str]:
    """Every generated file (relative to the chart's files/ folder) and its content."""
    files = {Path("topics.yaml"): topics_yaml()}
    for rules in sorted(RULES.glob("*.yml")):
        source = rules.relative_to(REPO).as_posix()
        files[Path("prometheus-rules") / rules.name] = _banner(source) + rules.read_text(
            encoding="utf-8"
        )
    # JSON has no comments: a dashboard is copied as it is (the README of files/ says whence).
    for dashboard in sorted(DASHBOARDS.glob("*.json")):
        files[Path("dashboards") / dashboard.name] = dashboard.read_text(encoding="utf-8")
    return files


def stale_files() -> list[str]:
    """The generated files that differ from a fresh generation, are missing or left over."""
    expected = expected_files()
    stale = [
        path.as_posix()
        for path, text in expected.items()
        if not (CHART_FILES / path).is_file()
        or (CHART_FILES / path).read_text(encoding="utf-8") != text
    ]
    for folder in ("prometheus-rules", "dashboards"):
        for present in sorted((CHART_FILES / folder).glob("*")):
            relative = present.relative_to(CHART_FILES)
            if relative not in expected:
                stale.append(f"{relative.as_posix()} (its source is gone)")
    return stale


def write() -> None:
    for folder in ("prometheus-rules", "dashboards"):
        for present in (CHART_FILES / folder).glob("*"):
            present.unlink()
    for path, text in expected_files().items():
        target = CHART_FILES / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(prog=COMMAND, description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="fail if a file is stale")
    args = parser.parse_args()
    if args.check:
        stale = stale_files()
        if stale:
            print(
                f"deploy/helm/thidua/files is stale ({', '.join(stale)}): run {COMMAND}",
                file=sys.stderr,
            )
            return 1
        print("deploy/helm/thidua/files: up to date")
        return 0
    write()
    print(f"wrote {len(expected_files())} files under deploy/helm/thidua/files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
