#!/bin/sh
# run.sh BUILD - every test: unit tests, then the server tests once on SQLite
# and once on PostgreSQL (a throwaway cluster started here and removed
# afterwards). If PostgreSQL cannot be started the run fails with the reason.
set -eu
BUILD=${1:-build/rel}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

pgdir=$(mktemp -d /tmp/jiebang-pg.XXXXXX)
rmdir "$pgdir" # pgtest.sh creates it
cleanup() { scripts/pgtest.sh stop "$pgdir" >/dev/null 2>&1 || true; }
trap cleanup EXIT INT TERM
JIEBANG_TEST_PG=$(scripts/pgtest.sh start "$pgdir") || {
	echo "run.sh: cannot start the PostgreSQL test cluster (see above)" >&2
	exit 1
}
export JIEBANG_TEST_PG JIEBANG_REQUIRE_PG=1

failed=0
echo "== tests/lint.sh"
tests/lint.sh || failed=1
for t in "$BUILD"/tests/test_*; do
	[ -x "$t" ] || { echo "run.sh: no unit tests in $BUILD/tests (run make test)" >&2; failed=1; break; }
	echo "== $t"
	"$t" || failed=1
done
for store in sqlite postgres; do
	echo "== server tests on $store"
	JIEBANG_BIN="$BUILD/jiebang" JIEBANG_TEST_STORE=$store \
		node --test tests/server/ || failed=1
	echo "== browser tests on $store (chromium; screenshots in build/screenshots)"
	JIEBANG_BIN="$BUILD/jiebang" JIEBANG_TEST_STORE=$store \
		node --test tests/browser/ || failed=1
done
[ $failed = 0 ] || { echo "run.sh: some tests failed" >&2; exit 1; }
echo "run.sh: all tests passed"
