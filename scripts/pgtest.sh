#!/bin/sh
# pgtest.sh - a throwaway PostgreSQL 15 cluster for tests.
#
#   scripts/pgtest.sh start DIR        initdb + start; prints postgres://postgres@127.0.0.1:PORT/
#   scripts/pgtest.sh createdb DIR NAME  create an empty database NAME (UTF8) in it
#   scripts/pgtest.sh url DIR          print the base URL again
#   scripts/pgtest.sh stop DIR         stop the server and remove DIR
#
# The cluster trusts every local connection (user postgres, no password) and
# listens on 127.0.0.1 only, on the first free port from 55432 upward; its
# Unix socket lives in DIR, never in /var/run/postgresql. Durability settings
# are PostgreSQL's defaults (fsync=on, synchronous_commit=on): tests run the
# same commit path as production. Run as root, the server runs as the Debian
# `postgres` system user (PostgreSQL refuses to run as root).
#
# stdout carries only the URL; progress and errors go to stderr. Any failure
# exits non-zero with the reason (for a server that will not start: the
# FATAL/ERROR lines of DIR/server.log); a DIR that failed to start is kept
# for inspection until `stop DIR` removes it.
set -eu

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
PORT_FIRST=55432
PORT_LAST=55631

die() {
	echo "pgtest: $*" >&2
	exit 1
}

usage() {
	echo "usage: $0 start DIR | createdb DIR NAME | url DIR | stop DIR" >&2
	exit 2
}

# as_pg CMD...: run CMD as the cluster's owner.
as_pg() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

# port_busy PORT: true when something listens on 127.0.0.1:PORT (or on all
# addresses). The server's own bind is the final word: start retries on
# "Address already in use", which covers two scripts racing for one port.
port_busy() {
	ss -Hltn "sport = :$1" 2>/dev/null | grep -q . && return 0
	return 1
}

# log_reason LOG: the lines of a server log that say why it failed.
log_reason() {
	[ -s "$1" ] || return 0
	if grep -qE 'FATAL|PANIC|ERROR|could not' "$1"; then
		grep -E 'FATAL|PANIC|ERROR|could not' "$1" | tail -n 5 | sed 's/^/  /' >&2
	else
		tail -n 5 "$1" | sed 's/^/  /' >&2
	fi
}

# ours DIR: DIR was made by this script (guards rm -rf in stop).
ours() {
	[ -f "$1/.pgtest" ] && [ -f "$1/data/PG_VERSION" ]
}

cmd_start() {
	dir=$1
	[ -x "$PGBIN/initdb" ] || die "PostgreSQL 15 not found in $PGBIN (install postgresql-15 or set PGBIN)"
	if [ -e "$dir" ] && [ -n "$(ls -A "$dir" 2>/dev/null)" ]; then
		die "'$dir' exists and is not empty; pick a fresh directory"
	fi
	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd)
	# A Unix socket path is limited to 107 bytes: DIR/.s.PGSQL.NNNNN.
	[ ${#dir} -le 90 ] || die "'$dir' is too long for a Unix socket directory (max 90 bytes)"
	: >"$dir/.pgtest"
	if [ "$(id -u)" -eq 0 ]; then
		id postgres >/dev/null 2>&1 || die "running as root but there is no 'postgres' user to run the server"
		chown postgres: "$dir"
		runuser -u postgres -- test -w "$dir" ||
			die "user postgres cannot write to '$dir' (a parent directory is not searchable by it); use a directory under /tmp"
	fi

	# C collation with UTF8: byte order, which for UTF-8 is code point order,
	# the same order SQLite's BINARY collation gives; encoding UTF8 for Chinese.
	if ! as_pg "$PGBIN/initdb" -D "$dir/data" --auth=trust -U postgres -E UTF8 \
		--locale=C >"$dir/initdb.log" 2>&1; then
		tail -n 5 "$dir/initdb.log" | sed 's/^/  /' >&2
		die "initdb failed (full output in $dir/initdb.log)"
	fi
	cat >>"$dir/data/postgresql.conf" <<EOF

# pgtest.sh: private test cluster
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
max_connections = 50
log_min_messages = warning
EOF

	port=$PORT_FIRST
	while [ "$port" -le "$PORT_LAST" ]; do
		if port_busy "$port"; then
			port=$((port + 1))
			continue
		fi
		rm -f "$dir/server.log"
		# pg_ctl -w waits until the server accepts connections (or fails).
		if as_pg "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -o "-p $port" \
			-w -t 60 start >"$dir/pg_ctl.log" 2>&1; then
			echo "$port" >"$dir/port"
			echo "postgres://postgres@127.0.0.1:$port/"
			return 0
		fi
		if grep -q 'Address already in use' "$dir/server.log" 2>/dev/null; then
			port=$((port + 1))
			continue
		fi
		log_reason "$dir/server.log"
		sed 's/^/  /' "$dir/pg_ctl.log" >&2
		die "PostgreSQL did not start (log: $dir/server.log)"
	done
	die "no free port in $PORT_FIRST..$PORT_LAST"
}

cmd_url() {
	[ -f "$1/port" ] || die "'$1' has no running test cluster (no $1/port)"
	echo "postgres://postgres@127.0.0.1:$(cat "$1/port")/"
}

cmd_createdb() {
	dir=$1
	name=$2
	[ -f "$dir/port" ] || die "'$dir' has no running test cluster (no $dir/port)"
	# TCP with trust auth: works for any local user, no socket permissions.
	"$PGBIN/createdb" -h 127.0.0.1 -p "$(cat "$dir/port")" -U postgres \
		-E UTF8 -T template0 -- "$name" || die "cannot create database '$name'"
}

cmd_stop() {
	dir=$1
	[ -e "$dir" ] || return 0
	ours "$dir" || die "'$dir' is not a pgtest.sh cluster; not removing it"
	if [ -f "$dir/data/postmaster.pid" ]; then
		as_pg "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null 2>&1 || {
			log_reason "$dir/server.log"
			die "cannot stop the server in '$dir'"
		}
	fi
	rm -rf "$dir"
}

[ $# -ge 2 ] || usage
case $1 in
start) [ $# -eq 2 ] || usage; cmd_start "$2" ;;
createdb) [ $# -eq 3 ] || usage; cmd_createdb "$2" "$3" ;;
url) [ $# -eq 2 ] || usage; cmd_url "$2" ;;
stop) [ $# -eq 2 ] || usage; cmd_stop "$2" ;;
*) usage ;;
esac
