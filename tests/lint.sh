#!/bin/sh
# lint.sh - checks on the source tree that the compiler cannot make.
# Each check prints the offending lines and makes the run fail.
set -u
cd "$(dirname "$0")/.."
failed=0

# The state lists live in src/domain/state.h (pinned to the schema by
# tests/unit/test_state.c); SQL elsewhere uses its STATE_SQL_* lists.
# (api/openapi_docs.c holds no SQL: its shapes quote JSON with '.)
states="proposed|selected|rejected|merged|published|claimed|in_progress|solved|accepted|withdrawn|applied|approved|signed|returned"
if grep -rnE "'($states)'" src --include='*.c' --include='*.h' |
	grep -vE '^src/domain/state\.h:|^src/store/schema\.c:|^src/api/openapi_docs\.c:'; then
	echo "lint: a state spelled in SQL outside src/domain/state.h (use its STATE_SQL_* lists)" >&2
	failed=1
fi

# Layers (README, Architecture): handlers -> domain -> store -> util. A
# lower layer never includes a higher one, and handlers (web, api, http,
# cli) hold no SQL: they call the domain. Among the handlers, the JSON-only
# ones (api) build on the request layer of the pages (web/web.h), never the
# other way round: web includes nothing of api, and http nothing of either
# (the server is handed its route table, server_config.routes).
layer_check() { # dir allowed-include-dirs...
	dir=$1; shift
	allowed=$(printf '%s|' "$@")
	if grep -nE '#include "[a-z]+/' src/$dir/*.[ch] | grep -vE "#include \"(${allowed%|})/"; then
		echo "lint: src/$dir includes a layer above it" >&2
		failed=1
	fi
}
layer_check util util
layer_check store store util
layer_check domain domain store util
layer_check http http store util
layer_check net net store util
layer_check cli cli domain store util
layer_check web web domain http store util
layer_check api api web domain http store util
if grep -nE '"(SELECT|INSERT INTO|UPDATE [a-z_]+ SET|DELETE FROM) ' src/web/*.c src/api/*.c src/http/*.c src/cli/*.c; then
	echo "lint: SQL in a handler (move it into src/domain)" >&2
	failed=1
fi

[ $failed = 0 ] && echo "lint: ok"
exit $failed
