#!/bin/sh
# export.sh - the exports at scale: grows a demo store to N problems
# (BENCH_EXPORT_ROWS, default 1,000,000; bench/gen.c), then downloads
# /api/v1/export/problems.csv (streamed) and ledger.xlsx (built on a
# worker into a temporary file) as the admin, sampling the server's
# resident memory every 0.1 s: time to first byte, total time, bytes,
# peak RSS against idle RSS, and of it the anonymous memory (heap and
# stacks: what a leak or a buffered export grows; the rest is the store's
# file mapped by SQLite, mmap_size, shared and given back under pressure).
# Loopback only; SQLite.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
BIN=${JIEBANG_BIN:-./jiebang}
N=${BENCH_EXPORT_ROWS:-1000000}
work=$(mktemp -d /tmp/jiebang-bench-export.XXXXXX)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT INT TERM

free_port() { node -e 's=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
wait_up() { for _ in $(seq 100); do curl -fs "$1/healthz" >/dev/null 2>&1 && return 0; sleep 0.1; done; return 1; }
kib() { awk -v k="${2:-VmRSS}:" '$1 == k {print $2}' "/proc/$1/status"; }

"$BIN" demo --data "$work" >/dev/null
gen="build/rel/bench-gen"
bench/link.sh "$gen" bench/gen.c
t0=$(date +%s)
"$gen" "sqlite:$work/jiebang.db" "$N" 2>/dev/null
echo "== exports of $N problems (SQLite; generated in $(( $(date +%s) - t0 )) s, store $(du -h "$work/jiebang.db" | cut -f1))"
token=$("$BIN" user token admin --data "$work" | tail -1)
port=$(free_port)
url="http://127.0.0.1:$port"
JIEBANG_QUIET=1 "$BIN" serve --data "$work" --port "$port" >/dev/null 2>&1 &
pid=$!
wait_up "$url"
curl -fs "$url/" >/dev/null
idle=$(kib "$pid")
anon_idle=$(kib "$pid" RssAnon)

fetch() { # list.ext
	peak=$idle anon=$anon_idle
	curl -s -o "$work/out" -H "Authorization: Bearer $token" \
		-w '%{http_code} %{time_starttransfer} %{time_total} %{size_download}\n' \
		"$url/api/v1/export/$1" > "$work/curl" &
	c=$!
	while kill -0 "$c" 2>/dev/null; do
		k=$(kib "$pid"); [ "$k" -gt "$peak" ] && peak=$k
		k=$(kib "$pid" RssAnon); [ "$k" -gt "$anon" ] && anon=$k
		sleep 0.1
	done
	wait "$c" || true
	read -r code ttfb total bytes < "$work/curl"
	printf '%-14s %s  first byte %6.2f s  total %7.2f s  %11d bytes  RSS idle %d KiB, peak +%d; anonymous %d KiB, peak +%d\n' \
		"$1" "$code" "$ttfb" "$total" "$bytes" "$idle" "$((peak - idle))" "$anon_idle" "$((anon - anon_idle))"
	rm -f "$work/out"
}
fetch problems.csv
fetch ledger.csv
fetch ledger.xlsx
fetch problems.xlsx
