#!/bin/sh
# region.sh - 辖区汇总 at scale (not a timed test): a parent tenant over
# BENCH_COUNTIES copies of the demo county (bench/tenants.c, default 1000),
# the median wall time of GET /api/v1/region for the parent's leader
# against GET /api/v1/stats of one county, over BENCH_RUNS requests one at
# a time (after one to warm up; the first request, which works out every
# county's stored lights once, is timed apart; so is a read after a
# write in one county, when the answer kept (domain/region.c) no longer
# holds). SQLite; loopback only.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
BIN=${JIEBANG_BIN:-./jiebang}
N=${BENCH_COUNTIES:-1000}
RUNS=${BENCH_RUNS:-7}
work=$(mktemp -d /tmp/jiebang-region.XXXXXX)
pid=""
cleanup() { [ -z "$pid" ] || kill "$pid" 2>/dev/null || true; [ -n "${BENCH_KEEP:-}" ] && echo "kept $work" >&2 || rm -rf "$work"; }
trap cleanup EXIT INT TERM

free_port() { node -e 's=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
wait_up() { for _ in $(seq 600); do curl -fs "$1/healthz" >/dev/null 2>&1 && return 0; sleep 0.1; done; return 1; }
median() { sort -n | awk '{a[NR] = $1} END {printf "%.1f ms", a[int((NR + 1) / 2)] * 1000}'; }
timed() { # token path
	curl -s -o /dev/null -H "Authorization: Bearer $1" "$url$2"
	for _ in $(seq "$RUNS"); do curl -s -o /dev/null -H "Authorization: Bearer $1" -w '%{time_total}\n' "$url$2"; done | median
}

"$BIN" demo --data "$work" >/dev/null
gen=build/rel/bench-tenants
bench/link.sh "$gen" bench/tenants.c
t0=$(date +%s)
"$gen" "sqlite:$work/jiebang.db" "$N" 2>/dev/null
problems=$(sqlite3 "$work/jiebang.db" "SELECT count(*) FROM problem")
claims=$(sqlite3 "$work/jiebang.db" "SELECT count(*) FROM claim")
echo "== 辖区汇总 over $N counties (SQLite; generated in $(( $(date +%s) - t0 )) s: $problems problems, $claims claims)"
"$BIN" user add boss --role leader --tenant region --data "$work" >/dev/null
echo "a leader of the region reads its counties" | "$BIN" user passwd boss --tenant region --data "$work" >/dev/null
boss=$("$BIN" user token boss --tenant region --data "$work" | tail -1)
admin=$("$BIN" user token admin --data "$work" | tail -1)
port=$(free_port)
url="http://127.0.0.1:$port"
JIEBANG_QUIET=1 JIEBANG_REQUEST_TIMEOUT=3600 "$BIN" serve --data "$work" --port "$port" --task-period 0 >"$work/serve.log" 2>&1 &
pid=$!
wait_up "$url" || { cat "$work/serve.log" >&2; exit 1; }
first=$(curl -s -o /dev/null -H "Authorization: Bearer $boss" -w '%{time_total}\n' "$url/t/region/api/v1/region" | median)
region=$(timed "$boss" /t/region/api/v1/region)
county=$(timed "$admin" /api/v1/stats)
# a write in one county (its data version up, as every write does): the
# kept answer no longer holds, and the next read sums the tallies again
changed=$(for _ in $(seq "$RUNS"); do
	sqlite3 "$work/jiebang.db" "UPDATE tenant SET data_version = data_version + 1 WHERE id = 1"
	curl -s -o /dev/null -H "Authorization: Bearer $boss" -w '%{time_total}\n' "$url/t/region/api/v1/region"
done | median)
printf 'first request (every county'"'"'s lights worked out once) %s\n' "$first"
printf '%-44s %10s\n' "GET /api/v1/region ($N counties)" "$region" "  the same after a write in a county" "$changed" \
	"GET /api/v1/stats (one county)" "$county"
echo "$region $changed $county" | awk '{printf "ratio region / one county: %.2f, after a write %.2f (target <= 2)\n", $1 / $5, $3 / $5}'
