#!/usr/bin/env bash
# Two regions on this machine, for the failover drill: region A active, region B its warm standby.
#   scripts/regions-up.sh [NODES_PER_REGION=1] [sync|async]
# Each region is its own Akka cluster with its own PostgreSQL: A's server (port 54341) is the primary, B's (54342)
# a hot standby made from it with pg_basebackup and fed by streaming replication — synchronous by default (a commit
# returns once B has it: nothing acknowledged can be lost), asynchronous on request (B trails by the lag).
# Region A's node i listens on http://127.0.0.1:$((5200+i)), region B's on $((5300+i)); Akka.Remote on HTTP + 1000.
# State lives in ./.regions (git-ignored): the databases, each node's log and pid, a generated admin token and one
# TLS certificate per region (a node of one region cannot join the other's cluster).
# Then: scripts/region-ctl.sh status | failover B | crash A | revive A | rebase A (see docs/runbooks/).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1}
mode=${2:-sync}
case "$mode" in sync|async) ;; *) echo "mode must be sync or async" >&2; exit 2 ;; esac
state=.regions
mkdir -p "$state"
chmod 700 "$state"
# A directory the postgres user can enter (the servers run as postgres when this runs as root).
[ "$(id -u)" = 0 ] && chmod 755 "$state"
[ -f "$state/mode" ] || echo "$mode" > "$state/mode"
pg_a=${AKKAEX_REGION_A_PG_PORT:-54341}
pg_b=${AKKAEX_REGION_B_PG_PORT:-54342}

if ! pg_isready -h 127.0.0.1 -p "$pg_a" >/dev/null 2>&1; then
  if [ -f "$state/a/pg/PG_VERSION" ]; then scripts/region-postgres.sh start "$PWD/$state/a"
  else scripts/region-postgres.sh primary "$PWD/$state/a" "$pg_a" "$mode" | tail -n 1 > "$state/a.conn"; fi
fi
[ -f "$state/a.conn" ] || echo "Host=127.0.0.1;Port=$pg_a;Username=postgres;Database=postgres;Pooling=true;Maximum Pool Size=100" > "$state/a.conn"
if ! pg_isready -h 127.0.0.1 -p "$pg_b" >/dev/null 2>&1; then
  if [ -f "$state/b/pg/PG_VERSION" ]; then scripts/region-postgres.sh start "$PWD/$state/b"
  else scripts/region-postgres.sh standby "$PWD/$state/b" "$pg_b" "$pg_a" region_b | tail -n 1 > "$state/b.conn"; fi
fi
[ -f "$state/b.conn" ] || echo "Host=127.0.0.1;Port=$pg_b;Username=postgres;Database=postgres;Pooling=true;Maximum Pool Size=100" > "$state/b.conn"

for secret in admin-token cert-password; do
  if [ ! -f "$state/$secret" ]; then
    head -c 24 /dev/urandom | base64 | tr -d '/+=' > "$state/$secret"
    chmod 600 "$state/$secret"
  fi
done
for r in a b; do
  if [ ! -f "$state/$r.pfx" ]; then
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 365 -subj "/CN=akkaexchange-region-$r" \
      -keyout "$state/$r.key" -out "$state/$r.crt" 2>/dev/null
    openssl pkcs12 -export -inkey "$state/$r.key" -in "$state/$r.crt" -out "$state/$r.pfx" -passout "pass:$(cat "$state/cert-password")"
    rm -f "$state/$r.key"
    chmod 600 "$state/$r.pfx"
  fi
done

echo "building the node..."
dotnet build -c Release src/Node -v quiet -nologo >/dev/null
dll=src/Node/bin/Release/net10.0/AkkaExchange.Node.dll
urls() { for i in $(seq 1 "$n"); do printf '%s,' "$1$(( $2 + i ))"; done; }
contacts_a=$(urls "http://127.0.0.1:" 5200); contacts_a=${contacts_a%,}
contacts_b=$(urls "http://127.0.0.1:" 5300); contacts_b=${contacts_b%,}
peers_of_a=$(urls "B=http://127.0.0.1:" 5300); peers_of_a=${peers_of_a%,}
peers_of_b=$(urls "A=http://127.0.0.1:" 5200); peers_of_b=${peers_of_b%,}

start_node() { # <region letter a|b> <i>
  local r=$1 i=$2 region port contacts peers
  region=$(echo "$r" | tr a-z A-Z)
  if [ "$r" = a ]; then port=$((5200 + i)); contacts=$contacts_a; peers=$peers_of_a
  else port=$((5300 + i)); contacts=$contacts_b; peers=$peers_of_b; fi
  if [ -f "$state/$r-$i.pid" ] && kill -0 "$(cat "$state/$r-$i.pid")" 2>/dev/null; then
    echo "$r-$i already running (pid $(cat "$state/$r-$i.pid"))"
    return
  fi
  Exchange__ConnectionString="$(cat "$state/$r.conn")" Exchange__AdminToken="$(cat "$state/admin-token")" \
  Exchange__ClusterCertificatePassword="$(cat "$state/cert-password")" \
    nohup dotnet "$dll" --urls "http://127.0.0.1:$port" --cluster true --journal postgres --node-id "$r-$i" \
      --region "$region" --peer-regions "$peers" --cluster-certificate "$state/$r.pfx" --seed-contacts "$contacts" \
      --data-dir "$state/$r-$i" >"$state/$r-$i.log" 2>&1 &
  echo $! > "$state/$r-$i.pid"
}
for i in $(seq 1 "$n"); do start_node a "$i"; start_node b "$i"; done

wait_for() { # <url> <what> <pidfile> <log>
  for _ in $(seq 1 240); do
    curl -fsS -m 2 "$1" >/dev/null 2>&1 && return 0
    kill -0 "$(cat "$3")" 2>/dev/null || { echo "$2 exited at start; see $4" >&2; exit 1; }
    sleep 0.5
  done
  echo "$2 did not answer $1 in 2 minutes; see $4" >&2
  exit 1
}
for i in $(seq 1 "$n"); do
  wait_for "http://127.0.0.1:$((5200 + i))/health/live" "a-$i" "$state/a-$i.pid" "$state/a-$i.log"
  wait_for "http://127.0.0.1:$((5300 + i))/health/live" "b-$i" "$state/b-$i.pid" "$state/b-$i.log"
done
# Trading starts once the active region's symbols have recovered (a node that just started also waits to hear from
# the other region first: docs/design/regions.md).
for _ in $(seq 1 240); do
  for port in $(seq 5201 $((5200 + n))) $(seq 5301 $((5300 + n))); do
    if curl -fsS -m 2 "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1; then
      echo "trading on http://127.0.0.1:$port"
      scripts/region-ctl.sh status
      exit 0
    fi
  done
  sleep 0.5
done
echo "no region became ready in 2 minutes (after a failover, is the revived region fenced? scripts/region-ctl.sh status)" >&2
scripts/region-ctl.sh status
exit 1
