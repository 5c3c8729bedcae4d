#!/bin/sh
# Deletes a random exchange pod every INTERVAL seconds for DURATION seconds, the way a crash takes it: no grace
# period. The StatefulSet starts it again; its shards restart on the other nodes from the journal meanwhile.
#   INTERVAL (30)  DURATION (600)  SELECTOR (the nodes' labels)  NAMESPACE (the pod's own)
set -eu
interval=${INTERVAL:-30}
duration=${DURATION:-600}
selector=${SELECTOR:-app.kubernetes.io/name=akkaexchange,app.kubernetes.io/component=node}
namespace=${NAMESPACE:-$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace)}
end=$(( $(date +%s) + duration ))
kills=0
while [ "$(date +%s)" -lt "$end" ]; do
  sleep "$interval"
  pod=$(kubectl -n "$namespace" get pods -l "$selector" --field-selector=status.phase=Running -o name \
        | awk 'BEGIN { srand() } { line[NR] = $0 } END { if (NR > 0) print line[int(rand() * NR) + 1] }')
  if [ -z "$pod" ]; then
    echo "$(date -u +%H:%M:%S) no running pod matches $selector"
    continue
  fi
  kubectl -n "$namespace" delete "$pod" --grace-period=0 --force --wait=false >/dev/null 2>&1 || true
  kills=$((kills + 1))
  echo "$(date -u +%H:%M:%S) killed $pod"
done
echo "chaos: kills=$kills interval=${interval}s duration=${duration}s"
