#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for the tests and benchmarks.
#
#   pgctl.sh start STATE        installs PostgreSQL (Debian packages) if missing, creates a
#                               fresh cluster in HOME/data, listening on 127.0.0.1 only on a
#                               free port (its unix socket in HOME/sock, its log in
#                               HOME/server.log), trust auth for 127.0.0.1; writes
#                               STATE/url = postgresql://yiye@127.0.0.1:PORT
#   pgctl.sh createdb STATE NAME   creates database NAME in that cluster
#   pgctl.sh halt STATE         stops the server, keeps the cluster (tests of an outage)
#   pgctl.sh resume STATE       starts a halted cluster again on the same port
#   pgctl.sh stop STATE         stops the server and removes STATE
#
# When run as root the server runs as the `postgres` system user the package creates (created
# here if missing): PostgreSQL refuses to run as root. A stale STATE (a crashed earlier run) is
# stopped and removed by `start`.
#
# HOME is everything the server user writes (data, socket, log). It is STATE itself when that
# user can write there; when it cannot (root cloned the checkout into a private directory such
# as /root/yiye or a `mktemp -d`, mode 0700, which `postgres` cannot even enter), HOME is a
# fresh directory under /tmp owned by that user, recorded in STATE/home and removed by `stop`.
set -euo pipefail

cmd=${1:-}
state=${2:-}
[ -n "$cmd" ] && [ -n "$state" ] || {
	echo "usage: $0 start|createdb|halt|resume|stop STATE [NAME]" >&2
	exit 2
}
# Absolute STATE: the server changes directory.
case "$state" in /*) ;; *) state="$PWD/$state" ;; esac

pgbin() {
	local d
	d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
	[ -n "$d" ] && [ -x "$d/pg_ctl" ] && echo "$d"
}

install_pg() {
	if [ -z "$(pgbin || true)" ]; then
		echo "pgctl: installing PostgreSQL" >&2
		local sudo_cmd=()
		[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
		export DEBIAN_FRONTEND=noninteractive
		"${sudo_cmd[@]}" apt-get update -qq
		"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends postgresql >/dev/null
	fi
}

# Runs a PostgreSQL server program as the cluster owner.
as_owner() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

ensure_owner() {
	[ "$(id -u)" -eq 0 ] || return 0
	id postgres >/dev/null 2>&1 ||
		useradd --system --home-dir /var/lib/postgresql --shell /bin/false postgres
}

# Where the server user's files live (see the head comment).
home() {
	if [ -f "$state/home" ]; then cat "$state/home"; else echo "$state"; fi
}
datadir() { echo "$(home)/data"; }

port_free() {
	! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

server_start() {
	local bin=$1 port=$2 dd
	dd=$(datadir)
	as_owner "$bin/pg_ctl" -D "$dd" -l "$(home)/server.log" -w -t 60 \
		-o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$(home)/sock" \
		start >/dev/null
}

server_stop() {
	local bin dd
	bin=$(pgbin || true)
	dd=$(datadir)
	if [ -n "$bin" ] && [ -f "$dd/postmaster.pid" ]; then
		as_owner "$bin/pg_ctl" -D "$dd" -m fast -w -t 30 stop >/dev/null 2>&1 ||
			as_owner "$bin/pg_ctl" -D "$dd" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
	fi
}

remove_state() {
	local h
	h=$(home)
	case "$h" in "$state" | "$state"/*) ;; /tmp/yiye-pg.*) rm -rf "$h" ;; esac
	rm -rf "$state"
}

case "$cmd" in
start)
	if [ -d "$state" ]; then
		server_stop
		remove_state
	fi
	install_pg
	ensure_owner
	bin=$(pgbin)
	mkdir -p "$state"
	chmod 0755 "$state"
	if [ "$(id -u)" -eq 0 ]; then
		chown postgres "$state"
		if ! runuser -u postgres -- test -w "$state"; then
			h=$(mktemp -d /tmp/yiye-pg.XXXXXX)
			chown postgres "$h"
			chmod 0700 "$h"
			echo "$h" >"$state/home"
		fi
	fi
	dd=$(datadir)
	as_owner mkdir -p "$(home)/sock"
	as_owner "$bin/initdb" -D "$dd" -U yiye --auth=trust -E UTF8 --locale=C.UTF-8 \
		--no-sync >"$state/initdb.log" 2>&1 || {
		cat "$state/initdb.log" >&2
		exit 1
	}
	# Throw-away data: durability off for speed; enough connections for parallel tests
	# (each `yiye serve` keeps a small pool).
	cat >>"$dd/postgresql.conf" <<-EOF
		fsync = off
		synchronous_commit = off
		full_page_writes = off
		max_connections = 300
		shared_buffers = 64MB
	EOF
	printf 'local all all trust\nhost all all 127.0.0.1/32 trust\n' >"$dd/pg_hba.conf"
	started=0
	for _ in $(seq 1 20); do
		port=$((20000 + RANDOM % 40000))
		port_free "$port" || continue
		if server_start "$bin" "$port" 2>"$state/start.err"; then
			started=1
			break
		fi
	done
	if [ "$started" -ne 1 ]; then
		echo "pgctl: PostgreSQL did not start" >&2
		cat "$state/start.err" "$(home)/server.log" >&2 || true
		exit 1
	fi
	echo "$port" >"$state/port"
	echo "postgresql://yiye@127.0.0.1:$port" >"$state/url"
	echo "pgctl: PostgreSQL on 127.0.0.1:$port ($state)"
	;;
createdb)
	name=${3:?database name}
	bin=$(pgbin)
	"$bin/createdb" -h 127.0.0.1 -p "$(cat "$state/port")" -U yiye "$name"
	;;
halt)
	server_stop
	;;
resume)
	server_start "$(pgbin)" "$(cat "$state/port")"
	;;
stop)
	server_stop
	remove_state
	;;
*)
	echo "usage: $0 start|createdb|halt|resume|stop STATE [NAME]" >&2
	exit 2
	;;
esac
