#!/usr/bin/env bash
# Run the browser tests against a real `yiye serve`.
#
#   tests/browser/run.sh YIYE_BINARY BUILD_DIR [TEST_FILE…]
#
# Makes a throw-away data directory with demo data, starts the server on an
# ephemeral port serving the built UI (web/dist, see docs/web.md), waits until it
# is healthy, runs `node --test tests/browser/` against it, and always stops the
# server and removes the data directory. With TEST_FILEs only those journeys run. Screenshots go to BUILD_DIR/screenshots,
# the server's log to BUILD_DIR/browser-server.log. Exits with node's exit code.
# The tests find the demo accounts' passwords through YIYE_DEMO_ACCOUNTS (the
# demo-accounts.json that `yiye init --demo` writes into the data directory).
set -euo pipefail

if [ $# -lt 2 ]; then
	echo "usage: $0 YIYE_BINARY BUILD_DIR [TEST_FILE...]" >&2
	exit 2
fi

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
tests=("$here/")
if [ $# -gt 2 ]; then
	tests=()
	for t in "${@:3}"; do tests+=("$(cd "$(dirname "$t")" && pwd)/$(basename "$t")"); done
fi
mkdir -p "$2"
build=$(cd "$2" && pwd)
web="$repo/web/dist"

[ -x "$bin" ] || { echo "browser tests: $bin is not an executable" >&2; exit 2; }
[ -f "$web/index.html" ] || { echo "browser tests: $web/index.html missing; build the UI first (npm ci && npm run build in web/)" >&2; exit 2; }
[ -d "$repo/web/node_modules/playwright-core" ] || { echo "browser tests: playwright-core missing; run npm ci in web/" >&2; exit 2; }
[ -x "${YIYE_CHROMIUM:-/usr/bin/chromium}" ] || { echo "browser tests: ${YIYE_CHROMIUM:-/usr/bin/chromium} not found (apt-get install chromium)" >&2; exit 2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/yiye-browser.XXXXXX")
pid=""
cleanup() {
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		kill "$pid" 2>/dev/null || true
		for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		kill -9 "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	fi
	[ -f "$tmp/server.log" ] && cp "$tmp/server.log" "$build/browser-server.log"
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"$bin" init --demo --data "$tmp/data" >"$tmp/init.log" 2>&1 || {
	echo "browser tests: '$bin init --demo' failed:" >&2
	cat "$tmp/init.log" >&2
	exit 1
}

"$bin" serve --data "$tmp/data" --listen 127.0.0.1:0 --port-file "$tmp/port" --web "$web" \
	>"$tmp/server.log" 2>&1 &
pid=$!

# Wait (up to 20 s) for the port file, then for /healthz to answer 200.
port=""
for _ in $(seq 1 200); do
	if ! kill -0 "$pid" 2>/dev/null; then
		echo "browser tests: the server exited early:" >&2
		tail -n 40 "$tmp/server.log" >&2
		exit 1
	fi
	if [ -s "$tmp/port" ]; then
		port=$(tr -dc '0-9' <"$tmp/port")
		if [ -n "$port" ] && curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$port/healthz"; then
			break
		fi
	fi
	port=""
	sleep 0.1
done
if [ -z "$port" ]; then
	echo "browser tests: the server did not become healthy within 20 s:" >&2
	tail -n 40 "$tmp/server.log" >&2
	exit 1
fi

rm -rf "$build/screenshots"
mkdir -p "$build/screenshots"
status=0
YIYE_URL="http://127.0.0.1:$port" YIYE_SHOTS="$build/screenshots" \
	YIYE_DEMO_ACCOUNTS="$tmp/data/demo-accounts.json" \
	node --test --test-concurrency=1 "${tests[@]}" || status=$?
exit $status
