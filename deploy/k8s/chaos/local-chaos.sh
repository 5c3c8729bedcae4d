#!/usr/bin/env bash
# The chaos run of deploy/k8s/chaos on this machine: a local cluster (scripts/cluster-up.sh) instead of the
# StatefulSet, kill -9 of a random node process instead of a pod deletion, the node started again as the
# StatefulSet would, and the same load client workload as load-job.yaml. Ends with the load client's summary line
# and fails unless lost=0.
#   deploy/k8s/chaos/local-chaos.sh [SECONDS=60] [INTERVAL=10] [NODES=3]
# Extra load client switches in AKKAEX_CHAOS_LOAD_ARGS; on a small machine a smaller workload:
#   AKKAEX_CHAOS_LOAD_ARGS="--profile custom --symbols 20 --brokers 4 --customers 25 --rate 300"
set -euo pipefail
cd "$(dirname "$0")/../../.."
seconds=${1:-60}
interval=${2:-10}
nodes=${3:-3}
base=5100
state=.cluster

scripts/cluster-up.sh "$nodes" "$base"
urls=$(for i in $(seq 1 "$nodes"); do printf 'http://127.0.0.1:%s,' $((base + i)); done)
urls=${urls%,}
echo "building the load client..."
dotnet build -c Release src/LoadTest -v quiet -nologo >/dev/null
log=$state/chaos-load.log
# load-job.yaml's workload; --url names the local nodes (no member keys: the local nodes are open on loopback).
# shellcheck disable=SC2086
dotnet src/LoadTest/bin/Release/net10.0/AkkaExchange.LoadTest.dll --profile aex --seconds "$seconds" --url "$urls" \
  ${AKKAEX_CHAOS_LOAD_ARGS:-} >"$log" 2>&1 &
load=$!

kills=0
end=$(( $(date +%s) + seconds ))
while [ "$(date +%s)" -lt "$end" ] && kill -0 "$load" 2>/dev/null; do
  sleep "$interval"
  i=$(( RANDOM % nodes + 1 ))
  pid=$(cat "$state/node-$i.pid")
  kill -9 "$pid" 2>/dev/null || true
  # Gone before it is started again (a process just sent SIGKILL may still answer kill -0 for a moment).
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kills=$((kills + 1))
  echo "$(date -u +%H:%M:%S) killed node-$i"
  # As the StatefulSet does: start it again — and any node the cluster downed meanwhile (cluster-up.sh starts only
  # the nodes that are not running).
  AKKAEX_NO_BUILD=1 scripts/cluster-up.sh "$nodes" "$base" >/dev/null || true
done
status=0
wait "$load" || status=$?
tail -n 1 "$log"
echo "chaos: kills=$kills interval=${interval}s duration=${seconds}s"
summary=$(grep '^load:' "$log" | tail -n 1 || true)
case "$summary" in
  *" acked=0 "*) echo "no order was acknowledged: nothing was tested; see $log" >&2; exit 1 ;;
  *" lost=0 "*) [ "$status" = 0 ] || { echo "the load client exited $status (errors over its limit); see $log" >&2; exit 1; } ;;
  *) echo "orders were lost or no summary was printed; see $log" >&2; exit 1 ;;
esac
