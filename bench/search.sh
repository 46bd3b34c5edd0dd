#!/bin/sh
# search.sh - the board search (not a timed test): one term and several
# space-separated terms, on the demo and on N problems, on SQLite and
# PostgreSQL. For each query: wrk on GET /?q= (throughput and latency,
# which other load on the machine disturbs), then the CPU time of the board
# query itself (bench/query.c: this process and the PostgreSQL server
# process, so a busy machine hardly changes it). `make bench` runs the main
# pages (run.sh); this measures search alone.
#
#   bench/search.sh                    the binary ./jiebang, gen and query built from bench/
#   JIEBANG_BIN=... BENCH_GEN=... BENCH_QUERY=... bench/search.sh   another build (a baseline)
#   BENCH_PG=0 skips PostgreSQL; BENCH_PROBLEMS=N (100000), BENCH_SECONDS=S (5)
# Needs wrk. Loopback only.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
BIN=${JIEBANG_BIN:-./jiebang}
N=${BENCH_PROBLEMS:-100000}
DUR=${BENCH_SECONDS:-5}
PG=${BENCH_PG:-1}
command -v wrk >/dev/null || { apt-get install -y -qq wrk >/dev/null || { echo "bench: wrk is needed" >&2; exit 1; }; }

work=$(mktemp -d /tmp/jiebang-search.XXXXXX)
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
enc() { node -e 'console.log(encodeURIComponent(process.argv[1]))' "$1"; }
total() { # the hit count of query $1 (after the server has caught up with the last load)
	curl -s --retry 3 --retry-all-errors --max-time 60 "$url/api/v1/problems?per_page=1&q=$(enc "$1")" |
		node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{console.log(JSON.parse(s).total)}catch{console.log("?")}})'
}
load() { # query: the board page searched by it, with its hit count
	n=$(total "$1")
	wrk -t2 -c32 -d"${DUR}s" --latency "$url/?q=$(enc "$1")" | awk -v q="$1" -v n="$n" '
		/Requests\/sec/ {rps=$2} /^ +50%/ {p50=$2} /^ +99%/ {p99=$2}
		END {printf "  %-22s %6s hits %10s req/s   p50 %8s   p99 %8s\n", "q=" q, n, rps, p50, p99}'
}
serve() { # store-url: serve it (migrating it first if it is behind) and wait
	port=$(free_port)
	url="http://127.0.0.1:$port"
	t0=$(date +%s.%N)
	JIEBANG_QUIET=1 "$BIN" serve --data "$work" --db "$1" --port "$port" >"$work/serve.log" 2>&1 &
	pid=$!
	wait_up "$url" || { cat "$work/serve.log" >&2; exit 1; }
	echo "  (up in $(echo "$(date +%s.%N) - $t0" | bc) s)"
}
stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""; }

DEMO_QUERIES="缆线|缆线 整治|缆线　整治|整治 县委宣传部|县委宣传部|资金 项目 专项|不存在 整治"
BIG_QUERIES="冷链|冷链园区|冷链 园区|园区 冷链|问题 冷链|冷链 园区 供水|县 问题|不存在 冷链"
each() { # queries separated by |
	old=$IFS; IFS='|'
	for q in $1; do IFS=$old; load "$q"; IFS='|'; done
	IFS=$old
}

tool() { # name: build/rel/bench-<name> from bench/<name>.c and the built objects
	bench/link.sh "build/rel/bench-$1" "bench/$1.c"
	echo "build/rel/bench-$1"
}
gen=${BENCH_GEN:-$(tool gen)}
query=${BENCH_QUERY:-$(tool query)}
cpu() { # store-url queries: the CPU time of each
	old=$IFS; IFS="|"; set -- "$1" 20 $2; IFS=$old
	echo "  CPU time of the board query (count and first page), mean of 20:"
	"$query" "$@" 2>&1 | sed 's/^/  /'
}

bench_store() { # label store-url
	echo "== $1: demo (104 problems), wrk -t2 -c32 -d${DUR}s"
	"$BIN" demo --db "$2" >/dev/null
	serve "$2"
	each "$DEMO_QUERIES"
	stop
	cpu "$2" "$DEMO_QUERIES"
	echo "== $1: $N problems"
	t0=$(date +%s)
	"$gen" "$2" "$N" 2>/dev/null
	echo "  (generated in $(( $(date +%s) - t0 )) s)"
	serve "$2"
	each "$BIG_QUERIES"
	stop
	cpu "$2" "$BIG_QUERIES"
}

bench_store SQLite "sqlite:$work/jiebang.db"
echo "  store $(du -h "$work/jiebang.db" | cut -f1)"
if [ "$PG" = 1 ]; then
	pgdir=$(mktemp -u /tmp/jiebang-search-pg.XXXXXX)
	pgurl=$(scripts/pgtest.sh start "$pgdir")
	psql "${pgurl}postgres" -qc "CREATE DATABASE bench" >/dev/null
	bench_store "PostgreSQL 15" "${pgurl}bench"
fi
