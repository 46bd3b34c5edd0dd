#!/bin/sh
# run.sh - benchmarks (not timed tests): throughput and latency of the main
# pages against nginx serving the same bytes as a static file, resident
# memory idle and after 10,000 requests, GET / while one address logs in on
# 40 connections (login.sh), on the demo and on 100k problems.
# Needs wrk (installed here from Debian if missing). Loopback only.
set -eu
# Passwords are hashed at the production cost, as log-ins are measured.
unset JIEBANG_TEST_FAST_HASH
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
BIN=${JIEBANG_BIN:-./jiebang}
N=${BENCH_PROBLEMS:-100000}
DUR=${BENCH_SECONDS:-5}
command -v wrk >/dev/null || { apt-get install -y -qq wrk >/dev/null || { echo "bench: wrk is needed" >&2; exit 1; }; }

work=$(mktemp -d /tmp/jiebang-bench.XXXXXX)
pids=""
cleanup() { for p in $pids; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT INT TERM

free_port() { node -e 's=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
# Resident memory, and the part that is the process's own (not the store's
# file pages mapped read-only, which the kernel shares and may reclaim).
rss() { awk '/VmRSS/ {t=$2} /RssAnon/ {a=$2} END {print t " KiB (" a " KiB anonymous)"}' "/proc/$1/status"; }
wait_up() { for _ in $(seq 100); do curl -fs "$1/healthz" >/dev/null 2>&1 && return 0; sleep 0.1; done; return 1; }
load() { # name url
	wrk -t2 -c32 -d"${DUR}s" --latency "$2" | awk -v n="$1" '
		/Requests\/sec/ {rps=$2} /^ +50%/ {p50=$2} /^ +99%/ {p99=$2}
		END {printf "%-34s %10s req/s   p50 %8s   p99 %8s\n", n, rps, p50, p99}'
}

"$BIN" demo --data "$work/demo" >/dev/null
port=$(free_port)
JIEBANG_QUIET=1 "$BIN" serve --data "$work/demo" --port "$port" >/dev/null 2>&1 &
pid=$!; pids="$pids $pid"
url="http://127.0.0.1:$port"
wait_up "$url"
echo "== demo store (104 problems), 2 threads, wrk -t2 -c32 -d${DUR}s"
echo "resident memory idle: $(rss $pid)"
curl -s "$url/" > "$work/board.html"
curl -s "$url/stats" > "$work/stats.html"
load "board /" "$url/"
load "board search ?q=缆线" "$url/?q=%E7%BC%86%E7%BA%BF"
load "board search 2 terms ?q=缆线 整治" "$url/?q=%E7%BC%86%E7%BA%BF%20%E6%95%B4%E6%B2%BB"
load "problem page /problems/1" "$url/problems/1"
load "statistics /stats" "$url/stats"
load "api /api/v1/stats" "$url/api/v1/stats"
before=$(rss $pid)
node -e '
const u=process.argv[1]; let left=10000, inflight=0;
function go(){ while(inflight<16 && left>0){ left--; inflight++;
  fetch(u+["/","/stats","/problems/1","/api/v1/problems?q=%E7%BC%86"][left%4]).then(r=>r.text()).then(()=>{inflight--; if(left>0) go(); else if(!inflight) process.exit(0);}); } }
go();' "$url"
echo "resident memory after the loads above and 10,000 more requests: $(rss $pid) (before the 10,000: $before)"
./bench/login.sh "$url"

# nginx serving the same board bytes as a static file, same machine, same run.
nport=$(free_port)
mkdir -p "$work/nginx/www" "$work/nginx/tmp"
cp "$work/board.html" "$work/nginx/www/board.html"
cat > "$work/nginx/nginx.conf" <<CONF
daemon off; worker_processes 2; pid $work/nginx/nginx.pid; error_log $work/nginx/error.log;
events { worker_connections 1024; }
http { access_log off; client_body_temp_path $work/nginx/tmp; proxy_temp_path $work/nginx/tmp;
  fastcgi_temp_path $work/nginx/tmp; uwsgi_temp_path $work/nginx/tmp; scgi_temp_path $work/nginx/tmp;
  server { listen 127.0.0.1:$nport; root $work/nginx/www; } }
CONF
/usr/sbin/nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" &
pids="$pids $!"
sleep 0.5
load "nginx static board.html (same bytes)" "http://127.0.0.1:$nport/board.html"

kill "$pid"; wait "$pid" 2>/dev/null || true

echo "== demo store on PostgreSQL 15 (throwaway cluster)"
pgdir=$(mktemp -u /tmp/jiebang-bench-pg.XXXXXX) # postgres must reach it
pgurl=$(scripts/pgtest.sh start "$pgdir")
trap 'scripts/pgtest.sh stop "$pgdir" >/dev/null 2>&1; cleanup' EXIT INT TERM
psql "${pgurl}postgres" -qc "CREATE DATABASE bench" >/dev/null
"$BIN" demo --db "${pgurl}bench" >/dev/null
JIEBANG_QUIET=1 "$BIN" serve --db "${pgurl}bench" --port "$port" >/dev/null 2>&1 &
pid=$!; pids="$pids $pid"
wait_up "$url"
load "board /" "$url/"
load "board search ?q=缆线" "$url/?q=%E7%BC%86%E7%BA%BF"
load "board search 2 terms ?q=缆线 整治" "$url/?q=%E7%BC%86%E7%BA%BF%20%E6%95%B4%E6%B2%BB"
load "problem page /problems/1" "$url/problems/1"
load "statistics /stats" "$url/stats"
load "api /api/v1/stats" "$url/api/v1/stats"
kill "$pid"; wait "$pid" 2>/dev/null || true

echo "== $N problems (SQLite)"
gen="build/rel/bench-gen"
mkdir -p build/rel
bench/link.sh "$gen" bench/gen.c
t0=$(date +%s)
"$gen" "sqlite:$work/demo/jiebang.db" "$N" 2>/dev/null
echo "generated in $(( $(date +%s) - t0 )) s; store $(du -h "$work/demo/jiebang.db" | cut -f1)"
JIEBANG_QUIET=1 "$BIN" serve --data "$work/demo" --port "$port" >/dev/null 2>&1 &
pid=$!; pids="$pids $pid"
wait_up "$url"
load "board page 1" "$url/"
load "board page 2000 (OFFSET)" "$url/?page=2000"
load "board search 2 chars ?q=冷链" "$url/?q=%E5%86%B7%E9%93%BE"
load "board search 4 chars ?q=冷链园区" "$url/?q=%E5%86%B7%E9%93%BE%E5%9B%AD%E5%8C%BA"
load "board search 2 terms ?q=冷链 园区" "$url/?q=%E5%86%B7%E9%93%BE%20%E5%9B%AD%E5%8C%BA"
load "board filter category+state" "$url/?category=3&state=published"
load "statistics /stats" "$url/stats"
load "problem page" "$url/problems/50000"
echo "resident memory: $(rss $pid)"

# the exports at 1,000,000 problems (BENCH_EXPORT_ROWS)
./bench/export.sh
kill "$pid"; wait "$pid" 2>/dev/null || true

# The dashboard as the store grows: demo, 10k, 100k and 1M problems (SQLite),
# 10k (PostgreSQL).
JIEBANG_BIN="$BIN" ./bench/stats.sh
# Import speed (bench/import.sh): 1,000,000 people from a CSV.
JIEBANG_BIN="$BIN" ./bench/import.sh
# 辖区汇总 over 1,000 counties against one county's dashboard (bench/region.sh).
JIEBANG_BIN="$BIN" ./bench/region.sh
