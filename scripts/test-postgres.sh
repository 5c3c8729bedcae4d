#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests and benchmarks, on loopback with trust authentication.
#   scripts/test-postgres.sh start <data-dir> <port> [fsync=on|off]   prints the connection string as its last line
#   scripts/test-postgres.sh stop <data-dir> [--keep]                 --keep stops the server but keeps its data
# Installs PostgreSQL from Debian packages when it is missing (needs root). Nothing here is a secret: the
# cluster listens on 127.0.0.1 only and lives as long as the test run.
set -euo pipefail
cmd=${1:?start|stop}
dir=${2:?data directory}

find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

bin=$(find_bin || true)
if [ -z "$bin" ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "PostgreSQL is not installed and this user cannot install it: apt-get install postgresql, or set AKKAEX_TEST_PG to a connection string" >&2
    exit 3
  fi
  echo "installing PostgreSQL from Debian packages..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
  bin=$(find_bin)
fi

case "$cmd" in
  start)
    port=${3:?port}
    fsync=${4:-off}
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$dir"; fi
    if [ ! -f "$dir/pg/PG_VERSION" ]; then
      as_owner "$bin/initdb" -D "$dir/pg" -A trust -U postgres -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 4; }
    fi
    as_owner "$bin/pg_ctl" -D "$dir/pg" -l "$dir/pg.log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=$fsync -c max_connections=300 -c shared_buffers=256MB" start >&2 \
      || { cat "$dir/pg.log" >&2; exit 5; }
    echo "Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres;Pooling=true;Maximum Pool Size=100"
    ;;
  stop)
    if [ "${3:-}" = "--keep" ]; then
      as_owner "$bin/pg_ctl" -D "$dir/pg" -m fast -w stop >&2 || true
    else
      as_owner "$bin/pg_ctl" -D "$dir/pg" -m immediate -w stop >&2 || true
      rm -rf "$dir"
    fi
    ;;
  *)
    echo "unknown command $cmd" >&2
    exit 2
    ;;
esac
