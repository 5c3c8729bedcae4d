#!/usr/bin/env bash
# Stops the two local regions started by scripts/regions-up.sh: every node gracefully (SIGTERM), then both
# PostgreSQL servers. Their data stays in ./.regions; `--purge` deletes it.
set -euo pipefail
cd "$(dirname "$0")/.."
state=.regions
[ -d "$state" ] || { echo "no regions in $state"; exit 0; }
scripts/stop-nodes.sh "$state"/[ab]-*.pid
for r in a b; do
  [ -d "$state/$r/pg" ] || continue
  if [ "${1:-}" = "--purge" ]; then scripts/region-postgres.sh stop "$PWD/$state/$r"
  else scripts/region-postgres.sh stop "$PWD/$state/$r" --keep; fi
done
[ "${1:-}" = "--purge" ] && rm -rf "$state"
echo "regions stopped"
