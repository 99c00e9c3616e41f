# Sourced by bench/run.sh: applications (issue 11) on SQLite, each figure
# beside a baseline measured in the same run on the same disk.
#
# (a) Durable applications per second: POST /api/v1/applications (the
#     application row, the history row and the audit entry, one transaction,
#     WAL + synchronous=FULL; the server also writes the department and
#     permit rows and the audit chain head) from 4 keep-alive clients on
#     behalf of 64 applicants in turn, against the sqlite3 shell inserting
#     the same three rows (copied from the server's own database after the
#     run, so every byte is the same) into the same table definitions (their
#     indexes included), one transaction per application, at the same
#     settings. Every request carries the same answers, so the frozen notice
#     is stored by the first creation only (application_notices, once per
#     district, catalog version, industry and answers) and the others point
#     at it, as the applications of one industry mostly do.
#     SQLite commits one writer at a time, each with its own fsync, so the
#     baseline is what the disk allows; the target is half of it.
# (b) A 10 MB material: PUT /api/v1/applications/{id}/materials/{material_id}
#     of ten distinct 10,000,000-byte PDFs in one curl process (receive,
#     hash, sniff, fsync, rename, directory fsync, row + history + audit),
#     against `cp` of the same files followed by `sync FILE` (an fsync) each.
#     Loopback transfer and the content check are the server's overhead over
#     the copy; the target is half the copy's throughput.
bench_applications() {
  local data="$work/data-apps" secs=${BENCH_WRITE_SECONDS:-8}
  YIYE_PWHASH_FAST=1 "$yiye" init --demo --data "$data" >/dev/null
  YIYE_PWHASH_FAST=1 "$yiye" serve --data "$data" --listen 127.0.0.1:0 \
    --port-file "$data/port" 2>"$data/server.log" >/dev/null &
  pids+=($!)
  local apid=$!
  for _ in $(seq 1 100); do [ -s "$data/port" ] && break; sleep 0.1; done
  local port; port=$(cat "$data/port")
  local base="http://127.0.0.1:$port"
  wait_http "$base/healthz"
  local pw
  pw=$(python3 -c 'import json,sys; print([a["password"] for a in json.load(open(sys.argv[1])) if a["username"] == "applicant"][0])' "$data/demo-accounts.json")
  curl -fs -c "$data/cookies" -H 'Content-Type: application/json' \
    -d "{\"username\":\"applicant\",\"password\":\"$pw\"}" "$base/api/v1/session" >/dev/null
  local session csrf
  session=$(awk '$6 == "yiye_session" {print $7}' "$data/cookies")
  csrf=$(awk '$6 == "yiye_csrf" {print $7}' "$data/cookies")
  local answers='{"industry":"bianlidian","answers":{"q_alcohol":false,"q_tobacco":false,"q_drug":false,"q_device2":false,"q_hot_food":false,"q_area":80,"q_sign":false}}'

  # --- (a) durable applications
  # Spread over 64 applicants (each registered and logged in here), as many
  # businesses apply at once: one applicant creating thousands of drafts in
  # seconds would measure the 智慧填报 look-up over their own drafts instead.
  local users=${BENCH_APPLICANTS:-64} u
  {
    echo "sessions = {}"
    for u in $(seq 1 "$users"); do
      curl -fs -H 'Content-Type: application/json' \
        -d "{\"username\":\"bench$u\",\"password\":\"Bench-pass-2026\",\"name\":\"压测申请人$u\",\"phone\":\"13800138000\"}" \
        "$base/api/v1/registrations" >/dev/null
      rm -f "$data/c$u"
      curl -fs -c "$data/c$u" -H 'Content-Type: application/json' \
        -d "{\"username\":\"bench$u\",\"password\":\"Bench-pass-2026\"}" "$base/api/v1/session" >/dev/null
      echo "sessions[$u] = {\"$(awk '$6 == "yiye_session" {print $7}' "$data/c$u")\", \"$(awk '$6 == "yiye_csrf" {print $7}' "$data/c$u")\"}"
    done
  } > "$data/create.lua"
  cat >> "$data/create.lua" <<LUA
n = 0
request = function()
  n = n + 1
  local s = sessions[(n % #sessions) + 1]
  return wrk.format("POST", "/api/v1/applications",
    {["Content-Type"] = "application/json",
     ["Cookie"] = "yiye_session=" .. s[1] .. "; yiye_csrf=" .. s[2],
     ["X-CSRF-Token"] = s[2]},
    '$answers')
end
response = function(status, headers, body)
  if status ~= 201 then io.stderr:write("bench: POST /api/v1/applications answered " .. status .. "\n") end
end
LUA
  echo "== Durable applications (SQLite): POST /api/v1/applications by $users applicants (row + history + audit, fsynced) vs bare SQLite inserts of the same rows"
  wrk -t1 -c4 -d2s -s "$data/create.lua" "$base/api/v1/applications" >/dev/null 2>"$data/wrk.err"
  local api
  api=$(wrk -t1 -c4 -d"${secs}s" -s "$data/create.lua" "$base/api/v1/applications" 2>>"$data/wrk.err" | rps)
  if [ -s "$data/wrk.err" ]; then sort "$data/wrk.err" | uniq -c >&2; return 1; fi

  # The baseline: the same table definitions, the same row contents (the
  # first application the run created, its history row and its audit entry),
  # fresh keys, one transaction each, WAL + synchronous=FULL.
  local n=${BENCH_BASELINE_ROWS:-400} db="$data/yiye.db" bdb="$work/baseline.db"
  rm -f "$bdb" "$bdb-wal" "$bdb-shm"
  sqlite3 "$db" '.schema applications' '.schema application_history' '.schema audit_log' |
    grep -v '^CREATE TABLE sqlite_' | sqlite3 "$bdb"
  python3 - "$db" "$n" > "$work/baseline.sql" <<'PY'
import sqlite3, sys
src, n = sys.argv[1], int(sys.argv[2])
c = sqlite3.connect(src)
def cols(t):
    return [r[1] for r in c.execute(f"PRAGMA table_info({t})")]
app_id = c.execute("SELECT min(id) FROM applications").fetchone()[0]
ac = [x for x in cols("applications") if x != "id"]
hc = [x for x in cols("application_history") if x != "id"]
lc = cols("audit_log")
seq = c.execute("SELECT seq FROM audit_log WHERE action = 'application.create' ORDER BY seq LIMIT 1").fetchone()[0]
def sel(cs, subst):
    return ", ".join(subst.get(x, x) for x in cs)
print("PRAGMA journal_mode=WAL;")
print("PRAGMA synchronous=FULL;")
print(f"ATTACH '{src}' AS s;")
for i in range(1, n + 1):
    print("BEGIN;")
    print(f"INSERT INTO main.applications ({', '.join(ac)}) SELECT "
          f"{sel(ac, {'number': f'number || {chr(39)}-b{i}{chr(39)}', 'serial': f'serial + {i * 1000000}'})} "
          f"FROM s.applications WHERE id = {app_id};")
    print(f"INSERT INTO main.application_history ({', '.join(hc)}) SELECT "
          f"{sel(hc, {'application_id': 'last_insert_rowid()'})} FROM s.application_history "
          f"WHERE application_id = {app_id} AND seq = 1;")
    print(f"INSERT INTO main.audit_log ({', '.join(lc)}) SELECT "
          f"{sel(lc, {'seq': f'seq + {i * 1000000}'})} FROM s.audit_log WHERE seq = {seq} "
          f"AND action = 'application.create' LIMIT 1;")
    print("COMMIT;")
PY
  local t0 t1 bare
  t0=$(date +%s%N)
  sqlite3 "$bdb" < "$work/baseline.sql" >/dev/null
  t1=$(date +%s%N)
  local rows; rows=$(sqlite3 "$bdb" 'SELECT count(*) FROM applications')
  [ "$rows" = "$n" ] || { echo "bench: baseline wrote $rows of $n rows" >&2; return 1; }
  bare=$(awk -v n="$n" -v ns=$((t1 - t0)) 'BEGIN { printf "%.1f", n / (ns / 1e9) }')
  echo "bare SQLite, same rows: $bare transactions/s ($n, one writer)"
  echo "yiye API, 4 clients:    $api applications/s"
  awk -v y="$api" -v b="$bare" 'BEGIN { r = y / b; printf "ratio yiye/bare SQLite: %.2f (target >= 0.50) %s\n", r, (r >= 0.5 ? "PASS" : "FAIL") }'

  # --- (b) a 10 MB material
  local id mid
  id=$(curl -fs -b "$data/cookies" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
    -d "$answers" "$base/api/v1/applications" | python3 -c 'import json,sys; print(json.load(sys.stdin)["application"]["id"])')
  mid=$(curl -fs -b "$data/cookies" "$base/api/v1/applications/$id" |
    python3 -c 'import json,sys; print([m["id"] for m in json.load(sys.stdin)["application"]["notice"]["materials"] if not m.get("exempt")][0])')
  local files=10 size=10000000 i
  mkdir -p "$work/up" "$work/cp"
  head -c "$size" /dev/urandom > "$work/up/random"
  for i in $(seq 1 $files); do
    { printf '%%PDF-1.7\n%% bench %d\n' "$i"; cat "$work/up/random"; } | head -c "$size" > "$work/up/m$i.pdf"
  done
  rm -f "$work/up/random"
  local args=() url="$base/api/v1/applications/$id/materials/$mid"
  for i in $(seq 1 $files); do
    [ "$i" -gt 1 ] && args+=(--next)
    args+=(-s -o /dev/null -w '%{http_code}\n' -b "$data/cookies" -H "X-CSRF-Token: $csrf"
      -H 'Content-Type: application/pdf' -H 'Expect:' -T "$work/up/m$i.pdf" "$url")
  done
  echo "== 10 MB material upload: PUT …/materials/$mid ($files files of $size bytes) vs cp + fsync of the same files"
  curl "${args[@]:0:16}" >/dev/null # warm up: one upload
  t0=$(date +%s%N)
  local codes; codes=$(curl "${args[@]}")
  t1=$(date +%s%N)
  if [ "$(printf '%s\n' "$codes" | grep -vc '^200$')" != 0 ]; then
    echo "bench: upload answered $(printf '%s ' $codes)" >&2; return 1
  fi
  local up_ns=$((t1 - t0))
  t0=$(date +%s%N)
  for i in $(seq 1 $files); do
    cp "$work/up/m$i.pdf" "$work/cp/m$i.pdf" && sync "$work/cp/m$i.pdf"
  done
  t1=$(date +%s%N)
  local cp_ns=$((t1 - t0))
  awk -v f="$files" -v s="$size" -v u="$up_ns" -v c="$cp_ns" 'BEGIN {
    mu = f * s / 1e6 / (u / 1e9); mc = f * s / 1e6 / (c / 1e9); r = mu / mc
    printf "cp + fsync:  %.1f MB/s\nyiye upload: %.1f MB/s\n", mc, mu
    printf "ratio upload/cp+fsync: %.2f (target >= 0.50) %s\n", r, (r >= 0.5 ? "PASS" : "FAIL") }'
  stop_and_check_log "$apid" "$data/server.log"
}

bench_applications
