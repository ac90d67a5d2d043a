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

# shellcheck source=deploy/local/debian-package.sh
source "$(dirname "${BASH_SOURCE[0]}")/debian-package.sh"
debian_tool kcat THIDUA_KCAT /usr/bin/kcat -V
