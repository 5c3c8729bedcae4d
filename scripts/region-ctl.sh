#!/usr/bin/env bash
# Operates the two local regions that scripts/regions-up.sh started (state in ./.regions).
#   scripts/region-ctl.sh status              each region's view: role, active region, epoch, database, lag
#   scripts/region-ctl.sh failover <A|B> [--force]
#                                             makes the region active: promotes its database, raises the epoch
#                                             (refused while the other region still answers as active, unless --force)
#   scripts/region-ctl.sh crash <A|B>         a disaster drill: kill -9 of the region's nodes and its PostgreSQL
#   scripts/region-ctl.sh revive <A|B>        starts the region's PostgreSQL and nodes again, as they were
#   scripts/region-ctl.sh rebase <A|B>        makes the region's database a standby of the other (active) region's,
#                                             from a fresh base backup; its nodes stay up and become its standby
#   scripts/region-ctl.sh rotate <A|B>        a planned move, no acknowledged order lost: the active region hands
#                                             over (stops trading, its last commit replayed by the standby), the
#                                             target takes over, the old region is rebased as its standby
set -euo pipefail
cd "$(dirname "$0")/.."
state=.regions
cmd=${1:?status|failover|crash|revive|rebase}
[ -d "$state" ] || { echo "no regions here: run scripts/regions-up.sh first" >&2; exit 2; }
pg_a=${AKKAEX_REGION_A_PG_PORT:-54341}
pg_b=${AKKAEX_REGION_B_PG_PORT:-54342}

letter() { echo "${1:?region A or B}" | tr A-Z a-z; }
base_of() { if [ "$1" = a ]; then echo 5200; else echo 5300; fi; }
pg_of() { if [ "$1" = a ]; then echo "$pg_a"; else echo "$pg_b"; fi; }
nodes_of() { ls "$state" | sed -n "s/^$1-\([0-9]*\)\.pid$/\1/p" | sort -n; }
first_url() { echo "http://127.0.0.1:$(( $(base_of "$1") + $(nodes_of "$1" | head -n 1) ))"; }

case "$cmd" in
  status)
    for r in a b; do
      for i in $(nodes_of "$r"); do
        url="http://127.0.0.1:$(( $(base_of "$r") + i ))"
        printf '%s-%s %s ' "$r" "$i" "$url"
        curl -sS -m 2 "$url/region" 2>/dev/null || printf '(not answering)'
        echo
      done
    done
    ;;
  failover)
    r=$(letter "${2:-}")
    query=""
    [ "${3:-}" = "--force" ] && query="?force=true"
    curl -sS -m 90 -X POST -H "Authorization: Bearer $(cat "$state/admin-token")" "$(first_url "$r")/admin/v1/region/failover$query"
    echo
    ;;
  crash)
    r=$(letter "${2:-}")
    for i in $(nodes_of "$r"); do kill -9 "$(cat "$state/$r-$i.pid")" 2>/dev/null || true; done
    scripts/region-postgres.sh crash "$PWD/$state/$r"
    echo "region $r: nodes killed, PostgreSQL stopped (immediate)"
    ;;
  revive)
    r=$(letter "${2:-}")
    pg_isready -h 127.0.0.1 -p "$(pg_of "$r")" >/dev/null 2>&1 || scripts/region-postgres.sh start "$PWD/$state/$r"
    scripts/regions-up.sh "$(nodes_of "$r" | wc -l)"
    ;;
  rebase)
    r=$(letter "${2:-}")
    other=b
    [ "$r" = b ] && other=a
    scripts/region-postgres.sh rebase "$PWD/$state/$r" "$(pg_of "$r")" "$(pg_of "$other")" "region_$r" >/dev/null
    echo "region $r's database is now a standby of region $other's"
    ;;
  rotate)
    to=$(letter "${2:-}")
    from=a
    [ "$to" = a ] && from=b
    key="Authorization: Bearer $(cat "$state/admin-token")"
    echo "region $from hands over to $to..."
    curl -sS --fail-with-body -m 90 -X POST -H "$key" "$(first_url "$from")/admin/v1/region/handover?to=$(echo "$to" | tr a-z A-Z)" || exit 1
    echo
    echo "region $to takes over..."
    curl -sS --fail-with-body -m 90 -X POST -H "$key" "$(first_url "$to")/admin/v1/region/failover" || exit 1
    echo
    "$0" rebase "$(echo "$from" | tr a-z A-Z)"
    if [ "$(cat "$state/mode" 2>/dev/null || echo sync)" = sync ]; then
      # The take-over stopped waiting for a synchronous standby (there was none yet); there is one again.
      psql -h 127.0.0.1 -p "$(pg_of "$to")" -U postgres -qAt -c "ALTER SYSTEM SET synchronous_standby_names = '*'" -c "SELECT pg_reload_conf()" >/dev/null
      echo "region $to's commits wait for region $from again (synchronous)"
    fi
    ;;
  *)
    echo "unknown command $cmd" >&2
    exit 2
    ;;
esac
