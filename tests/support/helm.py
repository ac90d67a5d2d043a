"""The Helm chart (deploy/helm/thidua) as `helm template` renders it, for the tests that read
what Kubernetes would be given. helm is the one `make helm-tools` installs into .tools/bin."""

import functools
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
CHART = REPO / "deploy" / "helm" / "thidua"
HELM = REPO / ".tools" / "bin" / "helm"
VALUES_FILES = ("", "values-small.yaml", "values-national.yaml")
HOOK = "helm.sh/hook"
Manifest = dict[str, Any]


def helm_template(*args: str) -> subprocess.CompletedProcess[str]:
    if not HELM.is_file():
        pytest.fail(f"{HELM} is missing: `make helm-tools` installs it")
    return subprocess.run(
        [str(HELM), "template", "thidua", str(CHART), "--namespace", "thidua", *args],
        capture_output=True,
        text=True,
        check=False,
    )


@functools.cache
def render(values_file: str = "", *options: str) -> tuple[Manifest, ...]:
    args = [*(["-f", str(CHART / values_file)] if values_file else []), *options]
    result = helm_template(*args)
    assert result.returncode == 0, result.stderr
    return tuple(m for m in yaml.safe_load_all(result.stdout) if m)


def of_kind(manifests: tuple[Manifest, ...], kind: str) -> list[Manifest]:
    return [m for m in manifests if m["kind"] == kind]


def component(manifest: Manifest) -> str:
    return str(manifest["metadata"]["labels"]["app.kubernetes.io/component"])
