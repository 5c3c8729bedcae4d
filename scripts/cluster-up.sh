#!/usr/bin/env bash
# Starts a local cluster: PostgreSQL (installed from Debian packages when missing) and N nodes on loopback.
#   scripts/cluster-up.sh [N=3] [BASE_PORT=5100]
# Node i listens on http://127.0.0.1:$((BASE_PORT+i)) as node-i. State lives in ./.cluster (git-ignored):
# the PostgreSQL data, each node's log and pid, the connection string, a generated admin token and cluster secret.
# Node i's transport (node-to-node TCP) listens on its HTTP port + 1000.
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
for secret in admin-token cluster-secret; do
  if [ ! -f "$state/$secret" ]; then
    head -c 24 /dev/urandom | base64 | tr -d '/+=' > "$state/$secret"
    chmod 600 "$state/$secret"
  fi
done
dotnet build -c Release src/Node -v quiet -nologo >/dev/null
dll=src/Node/bin/Release/net10.0/AkkaExchange.Node.dll

for i in $(seq 1 "$n"); do
  port=$((base + i))
  if [ -f "$state/node-$i.pid" ] && kill -0 "$(cat "$state/node-$i.pid")" 2>/dev/null; then
    echo "node-$i already running (pid $(cat "$state/node-$i.pid"))"
    continue
  fi
  Exchange__ConnectionString="$(cat "$state/pg.conn")" Exchange__AdminToken="$(cat "$state/admin-token")" \
  Exchange__ClusterSecret="$(cat "$state/cluster-secret")" \
    nohup dotnet "$dll" --urls "http://127.0.0.1:$port" --cluster true --journal postgres --node-id "node-$i" \
      --data-dir "$state/node-$i" >"$state/node-$i.log" 2>&1 &
  echo $! > "$state/node-$i.pid"
done

for i in $(seq 1 "$n"); do
  port=$((base + i))
  for _ in $(seq 1 120); do
    curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break
    sleep 0.5
  done
  curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null || { echo "node-$i did not become ready; see $state/node-$i.log" >&2; exit 1; }
  echo "node-$i ready on http://127.0.0.1:$port"
done
echo "admin token: $state/admin-token   e.g. curl -H \"Authorization: Bearer \$(cat $state/admin-token)\" http://127.0.0.1:$((base + 1))/admin/v1/shards"
