#!/usr/bin/env bash
# make bench: every scenario prints its figure next to a baseline measured in
# the same run on the same machine, and the ratio against the target.
#   bench/run.sh BUILD_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
build=$(cd "${1:-build}" && pwd)
yiye="$build/yiye"
duration=${BENCH_SECONDS:-10}
conns=${BENCH_CONNECTIONS:-64}

work=$(mktemp -d /tmp/yiye-bench-XXXXXX)
chmod 755 "$work" # nginx workers run unprivileged and must read www/
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
rps() { awk '/Requests\/sec/ {print $2}'; }

wait_http() {
  for _ in $(seq 1 100); do curl -fs "$1" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "bench: $1 did not come up" >&2; return 1
}

# Stops the server PID and fails when its log (LOG) shows a 500. The access
# log reaches the file in blocks, up to a second late, so it is read after
# the server has stopped and flushed it.
stop_and_check_log() { # PID LOG
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
  if grep -q '"status":500' "$2"; then echo "bench: server answered 500" >&2; return 1; fi
  return 0
}

start_yiye() { # DATA_DIR [--db URL]
  local data=$1; shift
  "$yiye" init --data "$data" "$@" >/dev/null
  "$yiye" serve --data "$data" "$@" --listen 127.0.0.1:0 --port-file "$data/port" \
    2>"$data/server.log" >/dev/null &
  pids+=($!)
  ypid=$!
  for _ in $(seq 1 100); do [ -s "$data/port" ] && break; sleep 0.1; done
  yport=$(cat "$data/port")
  wait_http "http://127.0.0.1:$yport/healthz"
}

# --- Scenario 1: public JSON answer vs nginx serving a static file of the same size
bench_http() { # LABEL [--db URL]
  local label=$1; shift
  local data="$work/data-$label"
  start_yiye "$data" "$@"
  local path="/api/v1/calendar/workdays?from=2026-09-30&add=1"
  local body; body=$(curl -fs "http://127.0.0.1:$yport$path")

  mkdir -p "$work/nginx/www" "$work/nginx/tmp"
  printf '%s' "$body" > "$work/nginx/www/workdays.json"
  local nport; nport=$(free_port)
  cat > "$work/nginx/nginx.conf" <<CONF
worker_processes 2;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 4096; }
http {
  access_log $work/nginx/access.log;
  client_body_temp_path $work/nginx/tmp; proxy_temp_path $work/nginx/tmp;
  fastcgi_temp_path $work/nginx/tmp; uwsgi_temp_path $work/nginx/tmp; scgi_temp_path $work/nginx/tmp;
  server {
    listen 127.0.0.1:$nport;
    location / { root $work/nginx/www; default_type application/json; }
  }
}
CONF
  nginx -c "$work/nginx/nginx.conf" -g 'daemon off;' &
  pids+=($!)
  wait_http "http://127.0.0.1:$nport/workdays.json"

  local idle_kb; idle_kb=$(awk '/VmRSS/ {print $2}' "/proc/$ypid/status")
  echo "== HTTP ($label): GET $path (${#body} bytes) vs nginx static file, wrk -t2 -c$conns -d${duration}s"
  wrk -t2 -c"$conns" -d2s "http://127.0.0.1:$nport/workdays.json" >/dev/null
  wrk -t2 -c"$conns" -d2s "http://127.0.0.1:$yport$path" >/dev/null
  local n y
  n=$(wrk -t2 -c"$conns" -d"${duration}s" "http://127.0.0.1:$nport/workdays.json" | rps)
  y=$(wrk -t2 -c"$conns" -d"${duration}s" "http://127.0.0.1:$yport$path" | rps)
  echo "nginx static file:      $n req/s"
  echo "yiye calendar workdays: $y req/s"
  awk -v y="$y" -v n="$n" 'BEGIN { r = y / n; printf "ratio yiye/nginx: %.2f (target >= 0.50) %s\n", r, (r >= 0.5 ? "PASS" : "FAIL") }'
  local load_kb; load_kb=$(awk '/VmRSS/ {print $2}' "/proc/$ypid/status")
  awk -v i="$idle_kb" -v l="$load_kb" 'BEGIN { printf "yiye resident memory: %.1f MB idle, %.1f MB after the load; ratio idle/30 MB: %.2f (target <= 1.00) %s\n", i/1024, l/1024, i/1024/30, (i/1024 <= 30 ? "PASS" : "FAIL") }'
  nginx -c "$work/nginx/nginx.conf" -s stop 2>/dev/null || true
  stop_and_check_log "$ypid" "$data/server.log"
}

bench_http sqlite

# --- Scenario 2: guide matching and catalog load (in-process)
if [ -x "$build/guide_bench" ]; then
  echo "== Guide matching and catalog load"
  "$build/guide_bench" "$root/catalog"
fi

# Further scenarios (PostgreSQL variants, durable submissions) add themselves below.
for extra in "$here"/run.d/*.sh; do
  [ -e "$extra" ] || continue
  # shellcheck source=/dev/null
  . "$extra"
done
