#!/usr/bin/env bash
# Stops the local cluster started by scripts/cluster-up.sh: every node gracefully (SIGTERM: hand shards over,
# drain, flush), then PostgreSQL. Its data stays in ./.cluster; `--purge` deletes it.
set -euo pipefail
cd "$(dirname "$0")/.."
state=.cluster
[ -d "$state" ] || { echo "no cluster state in $state"; exit 0; }
for pidfile in "$state"/node-*.pid; do
  [ -f "$pidfile" ] || continue
  pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && { echo "$pidfile: still running after 30s, killing"; kill -9 "$pid"; }
  fi
  rm -f "$pidfile"
done
if [ "${1:-}" = "--purge" ]; then
  scripts/test-postgres.sh stop "$PWD/$state/pg"
  rm -rf "$state"
else
  scripts/test-postgres.sh stop "$PWD/$state/pg" --keep
fi
echo "cluster stopped"
