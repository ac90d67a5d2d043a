#!/usr/bin/env bash
# Thi Đua — the AsyncAPI CLI that validates docs/asyncapi.yaml (make asyncapi-check), pinned.
#
#   deploy/local/asyncapi-cli.sh        # prints the CLI's path on stdout (its only output there)
#
# Installs @asyncapi/cli from the npm registry into .tools/asyncapi-cli/ (gitignored), once per
# version. Version 4.1.1: the newest that runs on the Node.js 20 of these machines and on
# Debian's own (18); 5 and later want Node.js 24. Where npm is missing and we are root, Debian's
# nodejs and npm are installed with apt-get. Its usage metrics are switched off (CI runs
# offline-safe: nothing is sent, nothing waited for).
# Settings (environment):
#   ASYNCAPI_CLI_VERSION   another version (default 4.1.1)
set -euo pipefail
cd "$(dirname "$0")/../.."

VERSION="${ASYNCAPI_CLI_VERSION:-4.1.1}"
PREFIX=".tools/asyncapi-cli"
CLI="$PREFIX/node_modules/.bin/asyncapi"
STAMP="$PREFIX/installed-$VERSION"

log() { printf 'asyncapi-cli.sh: %s\n' "$*" >&2; }

if ! command -v npm >/dev/null 2>&1; then
  if [[ "$(id -u)" -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
    log "npm is missing; install Node.js and npm (as root: apt-get install -y nodejs npm)"
    exit 1
  fi
  log "installing Debian's nodejs and npm (apt-get)…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >&2
  apt-get install -y -q --no-install-recommends nodejs npm >&2
fi

if [[ ! -f "$STAMP" || ! -x "$CLI" ]]; then
  log "installing @asyncapi/cli@$VERSION into $PREFIX (npm, once)…"
  rm -rf "$PREFIX"
  mkdir -p "$PREFIX"
  printf '{"private": true}\n' >"$PREFIX/package.json"
  npm install --prefix "$PREFIX" --no-audit --no-fund --loglevel=error \
    "@asyncapi/cli@$VERSION" >&2
  printf '{"analyticsEnabled": "false", "infoMessageShown": "true", "userID": "thidua"}\n' \
    >"$PREFIX/analytics.json"
  touch "$STAMP"
fi

printf '%s\n' "$PWD/$CLI"
