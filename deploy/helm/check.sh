#!/usr/bin/env bash
# Thi Đua — validate the Helm chart (deploy/helm/thidua) offline.
#
#   deploy/helm/check.sh         # everything below (make helm-check)
#   deploy/helm/check.sh tools   # only install the tools; prints nothing else on stdout
#
# 1. The chart's generated files (files/: topics, alert rules, dashboards) equal a fresh
#    generation (python -m deploy.helm.chart_files --check).
# 2. `helm lint --strict` with the default values and each values-*.yaml.
# 3. `helm template` with each (as an install, and as an upgrade, where the resources the
#    migrations need are ordinary ones instead of hooks), checked by `kubeconform -strict`
#    against Kubernetes' own schemas and the operators' CRD schemas; a manifest with a field
#    no schema knows is refused (kubeconform proves it reads the schemas, not skips them).
#
# Tools, installed once into .tools/ (gitignored) from the registries a fresh machine reaches:
#   helm and kubeconform with `go install` from the Go module proxy (pinned versions);
#   Kubernetes' core schemas from the PyPI package kubernetes-validate, laid out for
#   kubeconform by python -m deploy.helm.core_schemas.
# The CRD schemas (Strimzi, CloudNativePG, KEDA, Prometheus Operator) are read where they
# are, ../shared/k8s-schemas beside the repository (THIDUA_K8S_SCHEMAS to point elsewhere),
# never copied in.
set -euo pipefail

HELM_VERSION=v4.3.2
KUBECONFORM_VERSION=v0.8.0
KUBERNETES_VALIDATE_VERSION=1.37.0
# The Kubernetes version the manifests are checked against (one kubernetes-validate bundles).
KUBERNETES_VERSION=1.34.0

REPO_ROOT="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/../.." && pwd -P)"
TOOLS="$REPO_ROOT/.tools"
BIN="$TOOLS/bin"
CHART="$REPO_ROOT/deploy/helm/thidua"
CORE_SCHEMAS="$TOOLS/k8s-core-schemas-$KUBERNETES_VALIDATE_VERSION"
CRD_SCHEMAS="${THIDUA_K8S_SCHEMAS:-$REPO_ROOT/../shared/k8s-schemas}"
PY="$REPO_ROOT/.venv/bin/python"

LOG_NAME=helm-check
# shellcheck source=deploy/log.sh
source "$REPO_ROOT/deploy/log.sh"

[[ -x "$PY" ]] || die "no .venv: run make (or make helm-check, which makes it) first"

go_install() {  # go_install BINARY MODULE@VERSION
    local binary="$1" module="$2" stamp="$BIN/.$1-${2##*@}"
    [[ -x "$BIN/$binary" && -e "$stamp" ]] && return 0
    command -v go >/dev/null 2>&1 || die "Go is needed to build $binary (go install $module)"
    log "go install $module (once; minutes on a fresh machine)"
    mkdir -p "$BIN"
    GOBIN="$BIN" GOFLAGS=-buildvcs=false go install "$module" >&2 || die "go install $module failed"
    rm -f "$BIN/.$binary-"*
    touch "$stamp"
}

core_schemas() {
    [[ -e "$CORE_SCHEMAS/.complete" ]] && return 0
    local package="$TOOLS/kubernetes-validate-$KUBERNETES_VALIDATE_VERSION"
    if [[ ! -d "$package/kubernetes_validate" ]]; then
        log "pip install kubernetes-validate==$KUBERNETES_VALIDATE_VERSION (its bundled schemas)"
        "$PY" -m pip install --quiet --no-deps --target "$package" \
            "kubernetes-validate==$KUBERNETES_VALIDATE_VERSION" >&2 \
            || die "pip install kubernetes-validate failed"
    fi
    rm -rf "$CORE_SCHEMAS"
    (cd "$REPO_ROOT" && "$PY" -m deploy.helm.core_schemas "$package/kubernetes_validate" \
        "$KUBERNETES_VERSION" "$CORE_SCHEMAS") >&2
    touch "$CORE_SCHEMAS/.complete"
}

install_tools() {
    go_install helm "helm.sh/helm/v4/cmd/helm@$HELM_VERSION"
    go_install kubeconform "github.com/yannh/kubeconform/cmd/kubeconform@$KUBECONFORM_VERSION"
    core_schemas
}

install_tools
[[ "${1:-}" == "tools" ]] && exit 0

HELM="$BIN/helm"
KUBECONFORM="$BIN/kubeconform"
[[ -d "$CRD_SCHEMAS/kafka.strimzi.io" ]] \
    || die "the CRD schemas are not at $CRD_SCHEMAS (set THIDUA_K8S_SCHEMAS to their folder)"
SUMMARY=()

# 1. Generated files
(cd "$REPO_ROOT" && "$PY" -m deploy.helm.chart_files --check) >&2 \
    || die "the chart's files/ are stale: run python -m deploy.helm.chart_files"
SUMMARY+=("files/ up to date")

validate() {  # validate < manifests: every resource against its schema, none skipped
    "$KUBECONFORM" -strict -summary -kubernetes-version "$KUBERNETES_VERSION" \
        -schema-location "$CORE_SCHEMAS" \
        -schema-location "$CRD_SCHEMAS/{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json" \
        -
}

# 2 and 3. Lint, render, validate: the defaults and every values file.
TMP="$(mktemp -d)"
trap 'rm -rf -- "$TMP"' EXIT
value_sets=("")
for file in "$CHART"/values-*.yaml "$CHART"/ci/*-values.yaml; do value_sets+=("$file"); done
for values in "${value_sets[@]}"; do
    name="${values:+${values##*/}}"
    name="${name:-values.yaml}"
    args=()
    [[ -n "$values" ]] && args=(-f "$values")
    "$HELM" lint --strict "$CHART" "${args[@]}" >&2 || die "helm lint --strict failed with $name"
    for mode in install upgrade; do
        flags=()
        [[ "$mode" == upgrade ]] && flags=(--is-upgrade)
        "$HELM" template thidua "$CHART" --namespace thidua "${args[@]}" "${flags[@]}" \
            > "$TMP/manifests.yaml" || die "helm template failed with $name ($mode)"
        validate < "$TMP/manifests.yaml" >&2 \
            || die "kubeconform refused the manifests rendered with $name ($mode)"
    done
    SUMMARY+=("$name: lint, template and kubeconform OK")
done

# kubeconform must refuse what no schema allows, core and CRD alike: otherwise a schema it
# could not read would pass everything.
for kind in Deployment ScaledObject; do
    case "$kind" in
        Deployment) printf 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec:\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n    spec: {containers: [{name: x, image: x, notAField: 1}]}\n' ;;
        ScaledObject) printf 'apiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata: {name: x}\nspec: {scaleTargetRef: {name: x}, triggers: [], notAField: 1}\n' ;;
    esac > "$TMP/wrong.yaml"
    if validate < "$TMP/wrong.yaml" >/dev/null 2>&1; then
        die "kubeconform accepted a $kind with an unknown field: its schemas are not read"
    fi
done
SUMMARY+=("unknown fields refused")

log "all checks passed: ${SUMMARY[*]}"
