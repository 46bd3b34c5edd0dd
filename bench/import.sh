#!/bin/sh
# import.sh - import speed: a 1,000,000-row people CSV (generated with awk:
# two units, two ranks, a title) into a fresh SQLite store, timed for the
# dry run (every check and write, rolled back) and the real import (one
# transaction), as rows per second. Target: 100,000 rows/s or more.
# Called by run.sh; alone: bench/import.sh [ROWS].
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
BIN=${JIEBANG_BIN:-./jiebang}
ROWS=${1:-${BENCH_IMPORT_ROWS:-1000000}}
work=$(mktemp -d /tmp/jiebang-bench-import.XXXXXX)
trap 'rm -rf "$work"' EXIT INT TERM

"$BIN" init --data "$work/d" >/dev/null
printf '单位名称,上级单位,单位类型\n县委办,,县直单位\n城关镇,,镇街\n' > "$work/units.csv"
"$BIN" import units "$work/units.csv" --data "$work/d" >/dev/null
awk -v n="$ROWS" 'BEGIN { print "姓名,所在单位,职级,职务"
	for (i = 1; i <= n; i++) printf "干部%d,%s,%s,科员%d\n", i, (i % 2 ? "县委办" : "城关镇"), (i % 3 ? "科级干部" : "股级以下干部"), i % 100 }' \
	> "$work/people.csv"
echo "== import: $ROWS people, CSV $(du -h "$work/people.csv" | cut -f1), SQLite"
# Wall time, and the CPU time the process used (user + system): on a
# shared machine the wall time says as much about the neighbours.
timed() { # label, args...
	label=$1; shift
	/usr/bin/time -f "%e %U %S" -o "$work/time" "$BIN" import people "$work/people.csv" --data "$work/d" "$@" >/dev/null
	awk -v l="$label" -v n="$ROWS" '{ cpu = $2 + $3
		printf "%-36s %7.2f s wall %9.0f rows/s   %6.2f s CPU %9.0f rows/s\n", l, $1, n / $1, cpu, n / cpu }' "$work/time"
}
echo "(load average: $(cut -d' ' -f1-3 /proc/loadavg))"
timed "import people --dry-run"  --dry-run
timed "import people (one transaction)"
timed "import people again (all unchanged)"
