#!/bin/sh
# stats.sh - the dashboard's cost as the store grows (not a timed test):
# the median wall time of GET /api/v1/stats, GET /stats and GET /bigscreen
# (every batch) and of GET /api/v1/stats?batch=1 (the 2022 batch), over
# BENCH_RUNS requests one at a time, on the demo and on a store grown by
# bench/gen.c (two thirds of the copies claimed, with team, milestones,
# metrics and progress) to each of BENCH_STATS_SIZES problems on SQLite,
# and to BENCH_PG_SIZE on PostgreSQL. Called by run.sh; on its own:
#
#   bench/stats.sh                         10000, 100000 and 1000000 on SQLite, 10000 on PostgreSQL
#   BENCH_STATS_SIZES="10000" BENCH_PG=0 bench/stats.sh
#   BENCH_RUNS=N (7), BENCH_PG_SIZE=N (10000)
# Loopback only.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
BIN=${JIEBANG_BIN:-./jiebang}
SIZES=${BENCH_STATS_SIZES-"10000 100000 1000000"} # empty: the demo only
RUNS=${BENCH_RUNS:-7}
PG=${BENCH_PG:-1}
PG_SIZE=${BENCH_PG_SIZE:-10000}

work=$(mktemp -d /tmp/jiebang-stats.XXXXXX)
pgdir=""
pid=""
cleanup() {
	[ -z "$pid" ] || kill "$pid" 2>/dev/null || true
	[ -z "$pgdir" ] || scripts/pgtest.sh stop "$pgdir" >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT INT TERM

free_port() { node -e 's=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
wait_up() { for _ in $(seq 600); do curl -fs "$1/healthz" >/dev/null 2>&1 && return 0; sleep 0.1; done; return 1; }
serve() { # store-url
	port=$(free_port)
	url="http://127.0.0.1:$port"
	JIEBANG_QUIET=1 JIEBANG_REQUEST_TIMEOUT=3600 "$BIN" serve --data "$work/data" --db "$1" --port "$port" >"$work/serve.log" 2>&1 &
	pid=$!
	wait_up "$url" || { cat "$work/serve.log" >&2; exit 1; }
	sqlish "$1" "UPDATE tenant SET bigscreen = 1 WHERE id = 1"
}
stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""; }
sqlish() { # store-url sql
	case "$1" in
	sqlite:*) sqlite3 "${1#sqlite:}" "$2" ;;
	*) psql -qAt "$1" -c "$2" ;;
	esac
}
median() { sort -n | awk '{a[NR] = $1} END {printf "%.1f ms", a[int((NR + 1) / 2)] * 1000}'; }
first() { # path: the time of the first request after the store grew (the
	# new claims' stored lights are worked out then, once: claim_light.c)
	curl -s -o /dev/null -w '%{time_total}\n' "$url$1" | median
}
timed() { # path: the median of RUNS requests after one to warm up
	curl -s -o /dev/null "$url$1"
	for _ in $(seq "$RUNS"); do curl -s -o /dev/null -w '%{time_total}\n' "$url$1"; done | median
}
measure() { # label store-url
	claims=$(sqlish "$2" "SELECT count(*) FROM claim WHERE state IN ('approved','signed','solved','accepted')")
	problems=$(sqlish "$2" "SELECT count(*) FROM problem")
	serve "$2"
	printf '%-28s first request %10s\n' "$1" "$(first /api/v1/stats)"
	printf '%-28s %8s problems %7s claims   api %10s   page %10s   bigscreen %10s   api batch=1 %10s\n' "$1" "$problems" "$claims" \
		"$(timed /api/v1/stats)" "$(timed /stats)" "$(timed /bigscreen)" "$(timed '/api/v1/stats?batch=1')"
	stop
}
gen="build/rel/bench-gen"
mkdir -p build/rel "$work/data"
cc -std=c11 -D_GNU_SOURCE -O2 -Isrc -o "$gen" bench/gen.c $(ls src/*/*.c | sed 's|^\(.*\)\.c$|build/rel/\1.o|') build/rel/embedded.o \
	$(pkg-config --libs libmicrohttpd sqlite3 libsodium jansson libpq libmagic xlsxwriter libzip expat) -lcsv -lunistring -lpthread -lm
grow() { # store-url n
	t0=$(date +%s)
	"$gen" "$1" "$2" --no-search 2>/dev/null
	echo "  (grown to $2 in $(( $(date +%s) - t0 )) s)"
}

echo "== the dashboard: median of $RUNS requests, one at a time"
"$BIN" demo --data "$work/data" >/dev/null
store="sqlite:$work/data/jiebang.db"
measure "SQLite demo" "$store"
for n in $SIZES; do
	grow "$store" "$n"
	measure "SQLite $n" "$store"
done
[ "$PG" = 1 ] || exit 0
pgdir=$(mktemp -u /tmp/jiebang-stats-pg.XXXXXX)
pgurl=$(scripts/pgtest.sh start "$pgdir")
psql "${pgurl}postgres" -qc "CREATE DATABASE bench" >/dev/null
"$BIN" demo --db "${pgurl}bench" >/dev/null
measure "PostgreSQL demo" "${pgurl}bench"
grow "${pgurl}bench" "$PG_SIZE"
measure "PostgreSQL $PG_SIZE" "${pgurl}bench"
