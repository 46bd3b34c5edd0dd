#!/bin/sh
# lint.sh - checks on the source tree that the compiler cannot make.
# Each check prints the offending lines and makes the run fail.
set -u
cd "$(dirname "$0")/.."
failed=0

# The state lists live in src/domain/state.h (pinned to the schema by
# tests/unit/test_state.c); SQL elsewhere uses its STATE_SQL_* lists.
states="proposed|selected|rejected|merged|published|claimed|in_progress|solved|accepted|withdrawn|applied|approved|signed|returned"
if grep -rnE "'($states)'" src --include='*.c' --include='*.h' |
	grep -vE '^src/domain/state\.h:|^src/store/schema\.c:'; then
	echo "lint: a state spelled in SQL outside src/domain/state.h (use its STATE_SQL_* lists)" >&2
	failed=1
fi

[ $failed = 0 ] && echo "lint: ok"
exit $failed
