#!/usr/bin/env bash
# Thi Đua — kcat, the stock Kafka client that reads every topic as an integrator would and finds
# each record valid against docs/asyncapi.yaml (tests/e2e/test_asyncapi_consumer.py,
# make asyncapi-kcat).
#
#   deploy/local/kcat.sh          # prints kcat's path on stdout (its only output there)
#
# Uses Debian's `kcat` package. When /usr/bin/kcat is missing and we are root, installs it with
# apt-get (`apt-get update` first); otherwise says what to run.
# Settings (environment):
#   THIDUA_KCAT   a kcat to use instead (its path is checked and printed)
set -euo pipefail

KCAT="${THIDUA_KCAT:-/usr/bin/kcat}"

log() { printf 'kcat.sh: %s\n' "$*" >&2; }

if [[ ! -x "$KCAT" ]]; then
  if [[ -n "${THIDUA_KCAT:-}" ]]; then
    log "THIDUA_KCAT=$KCAT is not an executable file"
    exit 1
  fi
  if [[ "$(id -u)" -ne 0 ]]; then
    log "$KCAT is missing; install it as root: apt-get update && apt-get install -y kcat"
    exit 1
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    log "$KCAT is missing and there is no apt-get to install Debian's kcat with"
    exit 1
  fi
  log "installing Debian's kcat (apt-get)…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >&2
  apt-get install -y -q --no-install-recommends kcat >&2
  if [[ ! -x "$KCAT" ]]; then
    log "apt-get finished but $KCAT is still missing"
    exit 1
  fi
fi

log "$("$KCAT" -V 2>/dev/null | head -1 || echo "version unknown")"
printf '%s\n' "$KCAT"
