#!/bin/sh
# pgtest.sh - a throwaway PostgreSQL 15 cluster for tests.
#
#   scripts/pgtest.sh start DIR        initdb + start; prints postgres://postgres@127.0.0.1:PORT/
#   scripts/pgtest.sh createdb DIR NAME  create an empty database NAME (UTF8) in it
#   scripts/pgtest.sh url DIR          print the base URL again
#   scripts/pgtest.sh stop DIR         stop the server(s) and remove DIR
#   scripts/pgtest.sh start-pair DIR   a primary (DIR/a) and a synchronous hot
#                                      standby (DIR/b); prints the multi-host
#                                      postgres://postgres@127.0.0.1:PA,127.0.0.1:PB/
#                                      (append DB?target_session_attrs=read-write)
#   scripts/pgtest.sh crash DIR        SIGKILL the pair's primary and its children
#   scripts/pgtest.sh promote DIR      promote the pair's standby (pg_ctl promote)
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
	echo "usage: $0 start DIR | start-pair DIR | crash DIR | promote DIR | createdb DIR NAME | url DIR | stop DIR" >&2
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

# new_dir DIR: create DIR (empty or missing), owned by the server's user
# when run as root; prints its absolute path.
new_dir() {
	if [ -e "$1" ] && [ -n "$(ls -A "$1" 2>/dev/null)" ]; then
		die "'$1' exists and is not empty; pick a fresh directory"
	fi
	mkdir -p "$1"
	d=$(cd "$1" && pwd)
	# A Unix socket path is limited to 107 bytes: DIR/.s.PGSQL.NNNNN.
	[ ${#d} -le 90 ] || die "'$d' is too long for a Unix socket directory (max 90 bytes)"
	if [ "$(id -u)" -eq 0 ]; then
		id postgres >/dev/null 2>&1 || die "running as root but there is no 'postgres' user to run the server"
		chown postgres: "$d"
		runuser -u postgres -- test -w "$d" ||
			die "user postgres cannot write to '$d' (a parent directory is not searchable by it); use a directory under /tmp"
	fi
	echo "$d"
}

# init_cluster DIR: initdb into DIR/data (DIR made by new_dir) and the
# settings every test cluster has.
init_cluster() {
	dir=$1
	[ -x "$PGBIN/initdb" ] || die "PostgreSQL 15 not found in $PGBIN (install postgresql-15 or set PGBIN)"
	: >"$dir/.pgtest"
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
}

# start_cluster DIR: start the server of DIR/data on the first free port;
# writes it to DIR/port.
start_cluster() {
	dir=$1
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

cmd_start() {
	dir=$(new_dir "$1") || exit 1
	init_cluster "$dir"
	start_cluster "$dir"
	echo "postgres://postgres@127.0.0.1:$(cat "$dir/port")/"
}

# A primary (DIR/a) and its synchronous hot standby (DIR/b): a commit is
# acknowledged only once b has flushed it (synchronous_commit = on, the
# default, with b named in synchronous_standby_names). b streams from a
# through the physical replication slot "b", so it can never fall behind
# past WAL that a has recycled. b is configured to be a primary with no
# standby once promoted (its synchronous_standby_names is empty), so the
# new primary accepts writes at once.
cmd_start_pair() {
	pd=$(new_dir "$1") || exit 1
	: >"$pd/.pgtest-pair"
	a=$(new_dir "$pd/a") || exit 1
	init_cluster "$a"
	cat >>"$a/data/postgresql.conf" <<EOF
wal_level = replica
max_wal_senders = 4
synchronous_standby_names = 'b'
synchronous_commit = on
EOF
	start_cluster "$a"
	pa=$(cat "$a/port")
	b=$(new_dir "$pd/b") || exit 1
	: >"$b/.pgtest"
	if ! as_pg "$PGBIN/pg_basebackup" -h 127.0.0.1 -p "$pa" -U postgres -D "$b/data" \
		-X stream -C -S b -R >"$b/basebackup.log" 2>&1; then
		sed 's/^/  /' "$b/basebackup.log" >&2
		die "pg_basebackup of the primary failed"
	fi
	# postgresql.auto.conf is read last: these override what the copy of
	# a's postgresql.conf and pg_basebackup -R wrote.
	cat >>"$b/data/postgresql.auto.conf" <<EOF
# pgtest.sh: synchronous hot standby of a
unix_socket_directories = '$b'
primary_conninfo = 'host=127.0.0.1 port=$pa user=postgres application_name=b'
primary_slot_name = 'b'
hot_standby = on
synchronous_standby_names = ''
EOF
	start_cluster "$b"
	# Wait until a counts b as its synchronous standby: before that, a
	# commit on a would wait.
	i=0
	while [ "$(psql_a "$pd" "SELECT sync_state FROM pg_stat_replication WHERE application_name = 'b'")" != sync ]; do
		i=$((i + 1))
		[ $i -le 300 ] || { log_reason "$b/server.log"; die "the standby did not become synchronous within 30 s"; }
		sleep 0.1
	done
	pair_url "$pd"
}

# psql_a DIR SQL: one value from the pair's primary.
psql_a() {
	"$PGBIN/psql" -h 127.0.0.1 -p "$(cat "$1/a/port")" -U postgres -qAtc "$2" postgres 2>/dev/null || true
}

pair_url() {
	if [ ! -f "$1/a/port" ] || [ ! -f "$1/b/port" ]; then
		die "'$1' has no running pair (no $1/a/port or $1/b/port)"
	fi
	echo "postgres://postgres@127.0.0.1:$(cat "$1/a/port"),127.0.0.1:$(cat "$1/b/port")/"
}

is_pair() {
	[ -f "$1/.pgtest-pair" ]
}

# The postmaster's pid of cluster DIR, or nothing.
postmaster_pid() {
	[ -f "$1/data/postmaster.pid" ] && head -n 1 "$1/data/postmaster.pid"
}

# crash DIR: the pair's primary dies as in a power cut: SIGKILL to its
# postmaster and every child at once (no shutdown checkpoint, no goodbye to
# the clients; their sockets are reset by the kernel).
cmd_crash() {
	is_pair "$1" || die "'$1' is not a pair (start-pair)"
	pm=$(postmaster_pid "$1/a") || die "the primary in '$1' is not running"
	kids=$(ps -o pid= --ppid "$pm" 2>/dev/null || true)
	# shellcheck disable=SC2086 # one word per pid
	kill -KILL "$pm" $kids 2>/dev/null || die "cannot kill the primary's postmaster ($pm)"
	i=0
	while kill -0 "$pm" 2>/dev/null; do
		i=$((i + 1))
		[ $i -le 100 ] || die "the primary's postmaster ($pm) did not die"
		sleep 0.05
	done
}

# promote DIR: the pair's standby becomes a primary (pg_ctl promote waits
# until it accepts writes).
cmd_promote() {
	is_pair "$1" || die "'$1' is not a pair (start-pair)"
	as_pg "$PGBIN/pg_ctl" -D "$1/b/data" -w -t 60 promote >/dev/null 2>&1 || {
		log_reason "$1/b/server.log"
		die "cannot promote the standby in '$1'"
	}
}

cmd_url() {
	if is_pair "$1"; then
		pair_url "$1"
		return
	fi
	[ -f "$1/port" ] || die "'$1' has no running test cluster (no $1/port)"
	echo "postgres://postgres@127.0.0.1:$(cat "$1/port")/"
}

cmd_createdb() {
	dir=$1
	name=$2
	! is_pair "$dir" || dir=$dir/a
	[ -f "$dir/port" ] || die "'$dir' has no running test cluster (no $dir/port)"
	# TCP with trust auth: works for any local user, no socket permissions.
	"$PGBIN/createdb" -h 127.0.0.1 -p "$(cat "$dir/port")" -U postgres \
		-E UTF8 -T template0 -- "$name" || die "cannot create database '$name'"
}

# stop_cluster DIR: stop DIR's server if it runs. One that was killed
# leaves its postmaster.pid and a System V shared memory segment (line 7
# of the file: key and id); the segment is removed here.
stop_cluster() {
	[ -f "$1/data/postmaster.pid" ] || return 0
	if as_pg "$PGBIN/pg_ctl" -D "$1/data" status >/dev/null 2>&1; then
		as_pg "$PGBIN/pg_ctl" -D "$1/data" -m fast -w -t 60 stop >/dev/null 2>&1 || {
			log_reason "$1/server.log"
			die "cannot stop the server in '$1'"
		}
		return 0
	fi
	shmid=$(sed -n 7p "$1/data/postmaster.pid" | awk '{ print $2 }')
	[ -z "$shmid" ] || ipcrm -m "$shmid" 2>/dev/null || true
}

cmd_stop() {
	dir=$1
	[ -e "$dir" ] || return 0
	if is_pair "$dir"; then
		for c in "$dir/a" "$dir/b"; do
			[ ! -e "$c" ] || ! ours "$c" || stop_cluster "$c"
		done
	else
		ours "$dir" || die "'$dir' is not a pgtest.sh cluster; not removing it"
		stop_cluster "$dir"
	fi
	rm -rf "$dir"
}

[ $# -ge 2 ] || usage
case $1 in
start) [ $# -eq 2 ] || usage; cmd_start "$2" ;;
start-pair) [ $# -eq 2 ] || usage; cmd_start_pair "$2" ;;
crash) [ $# -eq 2 ] || usage; cmd_crash "$2" ;;
promote) [ $# -eq 2 ] || usage; cmd_promote "$2" ;;
createdb) [ $# -eq 3 ] || usage; cmd_createdb "$2" "$3" ;;
url) [ $# -eq 2 ] || usage; cmd_url "$2" ;;
stop) [ $# -eq 2 ] || usage; cmd_stop "$2" ;;
*) usage ;;
esac
