# shellcheck shell=bash
# Thi Đua — sourced by the scripts that find a Debian-packaged tool (chromium.sh, kcat.sh):
#
#   debian_tool PACKAGE PATH VARIABLE
#
# checks that PATH (the package's program, or what the setting VARIABLE named instead) is an
# executable file. When it is missing, VARIABLE is unset and we are root, installs PACKAGE with
# apt-get (`apt-get update` first); otherwise says what to run and exits 1. Says it on stderr,
# after the calling script's name.

log() { printf '%s: %s\n' "$(basename "$0")" "$*" >&2; }

debian_tool() {
  local package="$1" path="$2" variable="$3"
  [[ -x "$path" ]] && return 0
  if [[ -n "${!variable:-}" ]]; then
    log "$variable=$path is not an executable file"
    exit 1
  fi
  if [[ "$(id -u)" -ne 0 ]]; then
    log "$path is missing; install it as root: apt-get update && apt-get install -y $package"
    exit 1
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    log "$path is missing and there is no apt-get to install Debian's $package with"
    exit 1
  fi
  log "installing Debian's $package (apt-get)…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >&2
  apt-get install -y -q --no-install-recommends "$package" >&2
  if [[ ! -x "$path" ]]; then
    log "apt-get finished but $path is still missing"
    exit 1
  fi
}
