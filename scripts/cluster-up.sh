#!/usr/bin/env bash
# Starts a local cluster: PostgreSQL (installed from Debian packages when missing) and N nodes on loopback.
#   scripts/cluster-up.sh [N=3] [BASE_PORT=5100]
# Node i listens on http://127.0.0.1:$((BASE_PORT+i)) as node-i. State lives in ./.cluster (git-ignored):
# the PostgreSQL data, each node's log and pid, the connection string, a generated admin token and the cluster's
# TLS certificate (every node presents it and accepts only peers that present the same one).
# Node i's Akka.Remote endpoint listens on its HTTP port + 1000; the nodes find each other through the seed contacts
# (Akka.Management cluster bootstrap over the other nodes' HTTP ports).
# scripts/cluster-down.sh stops it (graceful: each node hands its shards over).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-3}
base=${2:-5100}
state=.cluster
mkdir -p "$state"
pgport=${AKKAEX_CLUSTER_PG_PORT:-54329}

if [ ! -f "$state/pg.conn" ] || ! pg_isready -h 127.0.0.1 -p "$pgport" >/dev/null 2>&1; then
  scripts/test-postgres.sh start "$PWD/$state/pg" "$pgport" on | tail -n 1 > "$state/pg.conn"
fi
for secret in admin-token cluster-cert-password; do
  if [ ! -f "$state/$secret" ]; then
    head -c 24 /dev/urandom | base64 | tr -d '/+=' > "$state/$secret"
    chmod 600 "$state/$secret"
  fi
done
if [ ! -f "$state/cluster.pfx" ]; then
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 365 -subj "/CN=akkaexchange-cluster" \
    -keyout "$state/cluster.key" -out "$state/cluster.crt" 2>/dev/null
  openssl pkcs12 -export -inkey "$state/cluster.key" -in "$state/cluster.crt" -out "$state/cluster.pfx" \
    -passout "pass:$(cat "$state/cluster-cert-password")"
  rm -f "$state/cluster.key"
  chmod 600 "$state/cluster.pfx"
fi
contacts=$(for i in $(seq 1 "$n"); do printf 'http://127.0.0.1:%s,' $((base + i)); done)
contacts=${contacts%,}
# AKKAEX_NO_BUILD=1 starts what was built last (deploy/k8s/chaos/local-chaos.sh restarts nodes that way).
if [ "${AKKAEX_NO_BUILD:-}" != 1 ]; then
  echo "building the node..."
  dotnet build -c Release src/Node -v quiet -nologo >/dev/null
fi
dll=src/Node/bin/Release/net10.0/AkkaExchange.Node.dll
started=" "

for i in $(seq 1 "$n"); do
  port=$((base + i))
  if [ -f "$state/node-$i.pid" ] && kill -0 "$(cat "$state/node-$i.pid")" 2>/dev/null; then
    echo "node-$i already running (pid $(cat "$state/node-$i.pid"))"
    continue
  fi
  Exchange__ConnectionString="$(cat "$state/pg.conn")" Exchange__AdminToken="$(cat "$state/admin-token")" \
  Exchange__ClusterCertificatePassword="$(cat "$state/cluster-cert-password")" \
    nohup dotnet "$dll" --urls "http://127.0.0.1:$port" --cluster true --journal postgres --node-id "node-$i" \
      --cluster-certificate "$state/cluster.pfx" --seed-contacts "$contacts" --data-dir "$state/node-$i" >"$state/node-$i.log" 2>&1 &
  echo $! > "$state/node-$i.pid"
  started="$started$i "
done

for i in $(seq 1 "$n"); do
  port=$((base + i))
  for _ in $(seq 1 240); do
    curl -fsS -m 2 "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break
    # A node that died at start is not waited for: say so, and stop the cluster. One that was already running and
    # stopped meanwhile (downed, killed) is only reported: running this script again starts it.
    if ! kill -0 "$(cat "$state/node-$i.pid")" 2>/dev/null; then
      if [[ "$started" != *" $i "* ]]; then
        echo "node-$i stopped; run scripts/cluster-up.sh again to start it (see $state/node-$i.log)" >&2
        exit 1
      fi
      echo "node-$i exited at start; see $state/node-$i.log:" >&2
      tail -n 5 "$state/node-$i.log" >&2
      scripts/cluster-down.sh >/dev/null
      exit 1
    fi
    sleep 0.5
  done
  curl -fsS -m 2 "http://127.0.0.1:$port/health/ready" >/dev/null || { echo "node-$i did not become ready in 2 minutes; see $state/node-$i.log" >&2; exit 1; }
  echo "node-$i ready on http://127.0.0.1:$port"
done
echo "admin token: $state/admin-token   e.g. curl -H \"Authorization: Bearer \$(cat $state/admin-token)\" http://127.0.0.1:$((base + 1))/admin/v1/shards"
