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

# shellcheck source=deploy/local/debian-package.sh
source "$(dirname "${BASH_SOURCE[0]}")/debian-package.sh"
debian_tool chromium THIDUA_CHROMIUM /usr/bin/chromium --version
