#!/usr/bin/env bash
# Prints the path of a program the tests drive, installing its Debian package when it is missing and this user may
# (root), as test-postgres.sh does for PostgreSQL:
#   scripts/test-tool.sh chromium chromium             the dashboard's browser spec (DashboardSpecs)
#   scripts/test-tool.sh kubectl kubernetes-client     rendering deploy/k8s (DeploySpecs)
# AKKAEX_TEST_<COMMAND> (e.g. AKKAEX_TEST_CHROMIUM) names another executable instead.
set -euo pipefail
command=${1:?command}
package=${2:?Debian package}
override_name="AKKAEX_TEST_$(echo "$command" | tr '[:lower:]-' '[:upper:]_')"
if [ -n "${!override_name:-}" ]; then
  echo "${!override_name}"
  exit 0
fi
bin=$(command -v "$command" || true)
if [ -z "$bin" ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "$command is not installed and this user cannot install it: apt-get install $package, or set $override_name to the executable" >&2
    exit 3
  fi
  echo "installing $package from Debian packages..." >&2
  export DEBIAN_FRONTEND=noninteractive
  # An index fetched earlier in this run may already list it; update only when it does not.
  apt-get install -y -qq "$package" >&2 || { apt-get update -qq >&2; apt-get install -y -qq "$package" >&2; }
  bin=$(command -v "$command")
fi
echo "$bin"
