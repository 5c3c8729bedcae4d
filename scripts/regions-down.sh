#!/usr/bin/env bash
# Stops the two local regions started by scripts/regions-up.sh: every node gracefully (SIGTERM), then both
# PostgreSQL servers. Their data stays in ./.regions; `--purge` deletes it.
set -euo pipefail
cd "$(dirname "$0")/.."
state=.regions
[ -d "$state" ] || { echo "no regions in $state"; exit 0; }
for pidfile in "$state"/[ab]-*.pid; do
  [ -f "$pidfile" ] || continue
  pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && { echo "$pidfile: still running after 30s, killing"; kill -9 "$pid"; }
  fi
  rm -f "$pidfile"
done
for r in a b; do
  [ -d "$state/$r/pg" ] || continue
  if [ "${1:-}" = "--purge" ]; then scripts/region-postgres.sh stop "$PWD/$state/$r"
  else scripts/region-postgres.sh stop "$PWD/$state/$r" --keep; fi
done
[ "${1:-}" = "--purge" ] && rm -rf "$state"
echo "regions stopped"
