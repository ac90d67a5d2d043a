# shellcheck shell=bash
# Thi Đua — sourced by the scripts that find a Debian-packaged tool (chromium.sh, kcat.sh):
#
#   debian_tool PACKAGE VARIABLE PATH VERSION-OPTION
#
# The program is the file the setting VARIABLE names, else PATH (the package's). When it is not
# an executable file, VARIABLE is unset and we are root, installs PACKAGE with apt-get
# (`apt-get update` first); otherwise says what to run and exits 1. Then says the program's
# version (the first line `program VERSION-OPTION` prints) on stderr, after the calling
# script's name, and prints the program's path on stdout (its only output there).

log() { printf '%s: %s\n' "$(basename "$0")" "$*" >&2; }

debian_tool() {
  local package="$1" variable="$2" path="${!2:-$3}" version="$4"
  [[ -x "$path" ]] || debian_install "$package" "$variable" "$path"
  log "$("$path" "$version" 2>/dev/null | head -1 || echo "version unknown")"
  printf '%s\n' "$path"
}

debian_install() {
  local package="$1" variable="$2" path="$3"
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
