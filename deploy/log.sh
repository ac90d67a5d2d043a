# shellcheck shell=bash
# Sourced by the deploy checks: what a check says goes to stderr under its name ($LOG_NAME),
# and die says what failed and stops it.
log() { printf '[%s] %s\n' "$LOG_NAME" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }
