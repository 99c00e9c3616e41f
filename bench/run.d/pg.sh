# Sourced by bench/run.sh: the same scenarios on PostgreSQL, in a throw-away
# cluster (tests/pg/pgctl.sh) stopped and removed when the run ends.
pgstate=$(mktemp -d /tmp/yiye-bench-pg-XXXXXX)
pgstop() { "$root/tests/pg/pgctl.sh" stop "$pgstate" >/dev/null 2>&1 || true; }
# Servers first (cleanup), then the cluster they use.
trap 'cleanup; pgstop' EXIT
"$root/tests/pg/pgctl.sh" start "$pgstate" >/dev/null
"$root/tests/pg/pgctl.sh" createdb "$pgstate" bench
bench_http pg --db "$(cat "$pgstate/url")/bench"

# --- Write throughput on PostgreSQL with 1, 2 and 4 concurrent clients.
# Each client is one keep-alive connection of one wrk thread renaming
# departments as the administrator (PATCH /api/v1/departments/{code}: a
# transaction with the row update and its audit entry), every request a
# different department, so the clients write different rows of one district.
# Writes must scale with clients: nothing serialises them but the district's
# audit chain head, held from the append to the commit. The bench machine has
# 2 cores shared by wrk, yiye and PostgreSQL, so the targets are modest.
bench_pg_writes() {
  local url=$1 data="$work/data-pgwrites" secs=${BENCH_WRITE_SECONDS:-8}
  YIYE_PWHASH_FAST=1 "$yiye" init --demo --data "$data" --db "$url" >/dev/null
  YIYE_PWHASH_FAST=1 "$yiye" serve --data "$data" --db "$url" --listen 127.0.0.1:0 \
    --port-file "$data/port" 2>"$data/server.log" >/dev/null &
  pids+=($!)
  for _ in $(seq 1 100); do [ -s "$data/port" ] && break; sleep 0.1; done
  local port; port=$(cat "$data/port")
  wait_http "http://127.0.0.1:$port/healthz"
  local pw
  pw=$(python3 -c 'import json,sys; print([a["password"] for a in json.load(open(sys.argv[1])) if a["username"] == "admin"][0])' "$data/demo-accounts.json")
  curl -fs -c "$data/cookies" -H 'Content-Type: application/json' \
    -d "{\"username\":\"admin\",\"password\":\"$pw\"}" "http://127.0.0.1:$port/api/v1/session" >/dev/null
  local session csrf
  session=$(awk '$6 == "yiye_session" {print $7}' "$data/cookies")
  csrf=$(awk '$6 == "yiye_csrf" {print $7}' "$data/cookies")
  # 400 departments to rename round-robin (one transaction creates them all
  # would be quicker, but through the API they are audited like any other).
  for i in $(seq 1 400); do
    curl -fs -b "$data/cookies" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
      -d "{\"code\":\"bw$i\",\"name\":\"压测部门$i\"}" "http://127.0.0.1:$port/api/v1/departments" >/dev/null
  done
  cat > "$data/patch.lua" <<LUA
n = 0
request = function()
  n = n + 1
  local code = "bw" .. ((n % 400) + 1)
  return wrk.format("PATCH", "/api/v1/departments/" .. code,
    {["Content-Type"] = "application/json",
     ["Cookie"] = "yiye_session=$session; yiye_csrf=$csrf",
     ["X-CSRF-Token"] = "$csrf"},
    '{"name":"压测部门 ' .. n .. '"}')
end
response = function(status, headers, body)
  if status ~= 200 then io.stderr:write("bench: PATCH answered " .. status .. "\n") end
end
LUA
  echo "== PostgreSQL writes: PATCH /api/v1/departments/{code} with 1, 2 and 4 clients, ${secs}s each"
  wrk -t1 -c2 -d2s -s "$data/patch.lua" "http://127.0.0.1:$port" >/dev/null 2>"$data/wrk.err"
  local w1 w2 w4
  w1=$(wrk -t1 -c1 -d"${secs}s" -s "$data/patch.lua" "http://127.0.0.1:$port" 2>>"$data/wrk.err" | rps)
  w2=$(wrk -t1 -c2 -d"${secs}s" -s "$data/patch.lua" "http://127.0.0.1:$port" 2>>"$data/wrk.err" | rps)
  w4=$(wrk -t1 -c4 -d"${secs}s" -s "$data/patch.lua" "http://127.0.0.1:$port" 2>>"$data/wrk.err" | rps)
  echo "1 client:  $w1 writes/s"
  echo "2 clients: $w2 writes/s"
  echo "4 clients: $w4 writes/s"
  awk -v a="$w1" -v b="$w2" 'BEGIN { r = b / a; printf "ratio 2-clients/1-client: %.2f (target >= 1.30) %s\n", r, (r >= 1.3 ? "PASS" : "FAIL") }'
  awk -v a="$w1" -v b="$w4" 'BEGIN { r = b / a; printf "ratio 4-clients/1-client: %.2f (target >= 1.50) %s\n", r, (r >= 1.5 ? "PASS" : "FAIL") }'
  if grep -q "answered" "$data/wrk.err"; then
    echo "bench: some writes failed:" >&2; sort "$data/wrk.err" | uniq -c >&2; return 1
  fi
  "$yiye" audit verify --data "$data" --db "$url" | tail -n 1
}
"$root/tests/pg/pgctl.sh" createdb "$pgstate" benchwrites
bench_pg_writes "$(cat "$pgstate/url")/benchwrites"
