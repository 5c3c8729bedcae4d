#!/usr/bin/env bash
# One region's PostgreSQL for the region failover drill, on loopback with trust authentication (a local drill; in
# production each region's database is Amazon RDS/Aurora or a managed server with its own credentials).
#   scripts/region-postgres.sh primary <dir> <port> [sync|async]      a new primary; prints its connection string
#   scripts/region-postgres.sh standby <dir> <port> <primary-port> <name>
#                                                                      a hot standby streaming from the primary
#                                                                      (pg_basebackup), as application <name>
#   scripts/region-postgres.sh start <dir>                            starts an existing server again (as it was)
#   scripts/region-postgres.sh crash <dir>                            stops it the way a disaster would (immediate)
#   scripts/region-postgres.sh stop <dir> [--keep]                    stops it and deletes it (or keeps the data)
#   scripts/region-postgres.sh rebase <dir> <port> <primary-port> <name>
#                                                                      makes an old primary the standby of the new one
#                                                                      (a fresh base backup)
# sync: a commit returns once a standby has it (synchronous_standby_names = '*', RPO 0); async: at once, the
# standby trails by the replication lag. Installs PostgreSQL from Debian packages when it is missing (needs root).
set -euo pipefail
cmd=${1:?primary|standby|start|crash|stop|rebase}
dir=${2:?data directory}
here=$(cd "$(dirname "$0")" && pwd)

find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
bin=$(find_bin || true)
if [ -z "$bin" ]; then
  # test-postgres.sh knows how to install it; ask it for nothing else.
  "$here/test-postgres.sh" stop /nonexistent --keep >/dev/null 2>&1 || true
  bin=$(find_bin)
fi

conn() { echo "Host=127.0.0.1;Port=$1;Username=postgres;Database=postgres;Pooling=true;Maximum Pool Size=100"; }
owned_dir() { mkdir -p "$1"; if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$1"; fi; }
start() { as_owner "$bin/pg_ctl" -D "$dir/pg" -l "$dir/pg.log" -w -t 60 start >&2 || { tail -n 20 "$dir/pg.log" >&2; exit 5; }; }
settings() { # <port> <sync|async>: what every server of a region pair runs with, written into its own configuration
  local names="''"
  [ "$2" = sync ] && names="'*'"
  as_owner tee -a "$dir/pg/postgresql.auto.conf" >/dev/null <<EOF
port = $1
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
max_connections = 300
shared_buffers = 256MB
wal_level = replica
max_wal_senders = 10
wal_log_hints = on
hot_standby = on
hot_standby_feedback = on
wal_keep_size = 1GB
synchronous_standby_names = $names
EOF
}
copied_mode() { # the mode of the configuration a base backup copied (its last word on synchronous_standby_names)
  if grep "^synchronous_standby_names" "$dir/pg/postgresql.auto.conf" | tail -n 1 | grep -q "'\*'"; then echo sync; else echo async; fi
}
standby_of() { # <primary-port> <name>
  as_owner tee -a "$dir/pg/postgresql.auto.conf" >/dev/null <<EOF
primary_conninfo = 'host=127.0.0.1 port=$1 user=postgres application_name=$2'
EOF
  as_owner touch "$dir/pg/standby.signal"
}
from_base_backup() { # <port> <primary-port> <name>: a hot standby of the primary, started, in the primary's mode
  owned_dir "$dir"
  as_owner "$bin/pg_basebackup" -h 127.0.0.1 -p "$2" -U postgres -D "$dir/pg" -X stream --checkpoint=fast >&2
  # The copy carries the primary's settings; the same mode, this server's port and socket, and where it streams from.
  settings "$1" "$(copied_mode)"
  standby_of "$2" "$3"
  start
  conn "$1"
}

case "$cmd" in
  primary)
    port=${3:?port}
    mode=${4:-sync}
    owned_dir "$dir"
    as_owner "$bin/initdb" -D "$dir/pg" -A trust -U postgres -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 4; }
    settings "$port" "$mode"
    start
    conn "$port"
    ;;
  standby)
    from_base_backup "${3:?port}" "${4:?primary port}" "${5:?application name}"
    ;;
  start)
    start
    ;;
  crash)
    as_owner "$bin/pg_ctl" -D "$dir/pg" -m immediate -w stop >&2 || true
    ;;
  stop)
    exec "$here/test-postgres.sh" stop "$dir" ${3:-}
    ;;
  rebase)
    as_owner "$bin/pg_ctl" -D "$dir/pg" -m fast -w stop >&2 2>/dev/null || true
    # A fresh base backup: an old primary that died mid-write holds WAL the new timeline never had, and pg_rewind
    # refuses a server that did not shut down cleanly. (For a large database, pg_rewind after a clean stop is faster.)
    rm -rf "$dir/pg"
    from_base_backup "${3:?port}" "${4:?primary port}" "${5:?application name}"
    ;;
  *)
    echo "unknown command $cmd" >&2
    exit 2
    ;;
esac
