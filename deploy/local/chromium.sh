#!/usr/bin/env bash
# Thi Đua — a Chromium for the portal's browser tests (tests/browser), without `playwright install`.
#
#   deploy/local/chromium.sh          # prints the browser's path on stdout (its only output there)
#
# Uses Debian's `chromium` package: the machine may have no internet access beyond the Debian
# mirror, and Playwright's own browser downloads need it. When /usr/bin/chromium is missing and
# we are root, installs it with apt-get (`apt-get update` first); otherwise says what to run.
# Settings (environment):
#   THIDUA_CHROMIUM   a browser to use instead (its path is checked and printed)
set -euo pipefail

CHROMIUM="${THIDUA_CHROMIUM:-/usr/bin/chromium}"

log() { printf 'chromium.sh: %s\n' "$*" >&2; }

if [[ ! -x "$CHROMIUM" ]]; then
  if [[ -n "${THIDUA_CHROMIUM:-}" ]]; then
    log "THIDUA_CHROMIUM=$CHROMIUM is not an executable file"
    exit 1
  fi
  if [[ "$(id -u)" -ne 0 ]]; then
    log "$CHROMIUM is missing; install it as root: apt-get update && apt-get install -y chromium"
    exit 1
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    log "$CHROMIUM is missing and there is no apt-get to install Debian's chromium with"
    exit 1
  fi
  log "installing Debian's chromium (apt-get)…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >&2
  apt-get install -y -q --no-install-recommends chromium >&2
  if [[ ! -x "$CHROMIUM" ]]; then
    log "apt-get finished but $CHROMIUM is still missing"
    exit 1
  fi
fi

log "$("$CHROMIUM" --version 2>/dev/null || echo "version unknown")"
printf '%s\n' "$CHROMIUM"
