#!/usr/bin/env bash
# Stops the local cluster started by scripts/cluster-up.sh: every node gracefully (SIGTERM: hand shards over,
# drain, flush), then PostgreSQL. Its data stays in ./.cluster; `--purge` deletes it.
set -euo pipefail
cd "$(dirname "$0")/.."
state=.cluster
[ -d "$state" ] || { echo "no cluster state in $state"; exit 0; }
scripts/stop-nodes.sh "$state"/node-*.pid
if [ "${1:-}" = "--purge" ]; then
  scripts/test-postgres.sh stop "$PWD/$state/pg"
  rm -rf "$state"
else
  scripts/test-postgres.sh stop "$PWD/$state/pg" --keep
fi
echo "cluster stopped"
