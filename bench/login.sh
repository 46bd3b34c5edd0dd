#!/bin/sh
# login.sh URL - another client's GET / latency while one address logs in
# correctly on 40 connections (the median should stay under 10 ms). The
# server must hash at the production cost: JIEBANG_TEST_FAST_HASH unset.
# Needs wrk; the demo's admin login.
set -eu
url=$1
DUR=${BENCH_SECONDS:-5}
lua=$(mktemp /tmp/jiebang-login.XXXXXX)
trap 'rm -f "$lua" "$lua.out"' EXIT
cat > "$lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"login":"admin","password":"jiebang-demo"}'
LUA
wrk -t2 -c40 -d"$((DUR + 2))s" -s "$lua" "$url/api/v1/session" > "$lua.out" 2>&1 &
logins=$!
sleep 1
wrk -t1 -c1 -d"${DUR}s" --latency "$url/" | awk '
	/^ +50%/ {p50=$2} /^ +99%/ {p99=$2} /Requests\/sec/ {rps=$2}
	END {printf "GET / while one address logs in on 40 connections: p50 %s   p99 %s   (%s req/s)\n", p50, p99, rps}'
wait "$logins"
awk '/Requests\/sec/ {rps=$2} /Non-2xx/ {n=$NF}
	END {printf "  the log-ins meanwhile: %s req/s, %d answered other than 200 (busy or throttled)\n", rps, n}' "$lua.out"
