#!/usr/bin/env bash
# Prints the path of a headless-capable Chromium for the browser specs (DashboardSpecs), installing Debian's
# `chromium` package when it is missing and this user may (root), as test-postgres.sh does for PostgreSQL.
# AKKAEX_TEST_CHROMIUM names another executable instead.
set -euo pipefail
if [ -n "${AKKAEX_TEST_CHROMIUM:-}" ]; then
  echo "$AKKAEX_TEST_CHROMIUM"
  exit 0
fi
find_chromium() { command -v chromium || command -v chromium-browser || true; }
bin=$(find_chromium)
if [ -z "$bin" ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "Chromium is not installed and this user cannot install it: apt-get install chromium, or set AKKAEX_TEST_CHROMIUM to a Chromium executable" >&2
    exit 3
  fi
  echo "installing Chromium from Debian packages..." >&2
  export DEBIAN_FRONTEND=noninteractive
  # An index fetched earlier in this run (PostgreSQL's install) may already list it; update only when it does not.
  apt-get install -y -qq chromium >&2 2>/dev/null || { apt-get update -qq >&2; apt-get install -y -qq chromium >&2; }
  bin=$(find_chromium)
fi
echo "$bin"
