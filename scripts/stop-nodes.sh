#!/usr/bin/env bash
# Stops node processes gracefully, one pid file at a time: SIGTERM (the node hands its shards over, drains and
# flushes), up to 30 s, then kill -9. Removes each pid file. Used by cluster-down.sh and regions-down.sh.
#   scripts/stop-nodes.sh <pidfile>...
set -euo pipefail
for pidfile in "$@"; do
  [ -f "$pidfile" ] || continue
  pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && { echo "$pidfile: still running after 30s, killing"; kill -9 "$pid"; }
  fi
  rm -f "$pidfile"
done
