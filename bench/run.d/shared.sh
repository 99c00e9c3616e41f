# Sourced by bench/run.sh: shared license reads by 统一社会信用代码 (issue 14,
# share-reads) beside public license verification, in the same run.
#
# GET /api/v1/shared/entities/{uscc}/licenses is what a department's system
# asks with a licenses:read token and an X-Purpose header. Each answer
# identifies the token, checks its purpose and rate, reads the licenses and
# queues one hash-chained access-log entry, which the node's appender commits
# in batches (src/http/h_shared.h), so it measures the whole hot path
# including the log write. The baseline is
# the anonymous public verify answer of the same license (scenario verify.sh)
# on the same server: target >= 0.5 of it. The number of access-log rows is
# checked against the number of 200 answers afterwards: a read without its
# log entry would be a defect, not a speed-up.
#
# The license and the token are rows written with the sqlite3 shell after
# `yiye init` (the columns issuance and POST /api/v1/tokens write; the
# token's secret is stored as its BLAKE2b-256, as auth_secret_hash does).
bench_shared() {
  local data="$work/data-shared"
  start_yiye "$data"
  local number="XK-310104-2026-000001" uscc="91310104000000000T"
  local secret="yiye_benchsharedtoken0000000000000000000000"
  local hash; hash=$(printf '%s' "$secret" | b2sum -l 256 | cut -d' ' -f1)
  local doc='{"type":"行业综合许可证","number":"XK-310104-2026-000001","version":1,"holder":{"name":"徐汇示范便利店有限公司","uscc":"91310104000000000T"},"industry":{"code":"bianlidian","name":"便利店"},"permits":[{"code":"spjy","name":"食品经营许可","department":"scjgj"}],"valid_from":"2026-12-02","valid_until":"2031-12-01","issued_on":"2026-12-02","district":"310104","kid":"bench"}'
  sqlite3 "$data/yiye.db" <<SQL
.timeout 5000
INSERT INTO licenses (district, number, version, is_current, eid, status, holder_name, holder_uscc,
  legal_rep, address, industry, industry_name, year, serial, valid_from, valid_until, issued_on,
  doc, sig, kid, pdf_sha256, issued_at, updated_at)
VALUES ('310104', '$number', 1, 1, 'bench-eid', 'valid', '徐汇示范便利店有限公司', '$uscc',
  '张三', '徐汇区某路1号', 'bianlidian', '便利店', 2026, 1, '2026-12-02', '2031-12-01', '2026-12-02',
  '$doc', 'sig', 'bench', '', 100, 100);
INSERT INTO license_events (district, seq, number, version, kind, status, actor, at)
VALUES ('310104', 1, '$number', 1, 'issue', 'valid', 'bench', 100);
INSERT INTO api_tokens (district, name, secret_hash, scopes, created_at, expires_at, department,
  purposes, rate_per_minute)
VALUES ('310104', 'bench', '$hash', 'licenses:read', 100, 4102444800, 'scjgj', 'approval', 1000000);
SQL
  local verify="/api/v1/licenses/$number/verify"
  local shared="/api/v1/shared/entities/$uscc/licenses"
  local auth="Authorization: Bearer $secret" purpose="X-Purpose: approval; bench"
  if ! curl -fsS -H "$auth" -H "$purpose" "http://127.0.0.1:$yport$shared" >/dev/null; then
    curl -s -H "$auth" -H "$purpose" "http://127.0.0.1:$yport$shared" >&2 || true
    echo "== shared reads: GET $shared did not answer 200"
    echo "ratio shared/verify: 0.00 (target >= 0.50) FAIL"
    return 0
  fi
  echo "== shared reads: GET $shared (token, purpose, access-log write) vs public verify, wrk -t2 -c$conns -d${duration}s"
  wrk -t2 -c"$conns" -d2s "http://127.0.0.1:$yport$verify" >/dev/null
  wrk -t2 -c"$conns" -d2s -H "$auth" -H "$purpose" "http://127.0.0.1:$yport$shared" >/dev/null
  local v s out
  v=$(wrk -t2 -c"$conns" -d"${duration}s" "http://127.0.0.1:$yport$verify" | rps)
  local before; before=$(sqlite3 "$data/yiye.db" "SELECT count(*) FROM sharing_log")
  out=$(wrk -t2 -c"$conns" -d"${duration}s" -H "$auth" -H "$purpose" "http://127.0.0.1:$yport$shared")
  # Only 200 answers count: a read refused 503 busy (the access-log queue
  # full) is back-pressure, not a read served.
  s=$(printf '%s\n' "$out" | awk '/requests in/ {n = $1; t = $4 + 0} /Non-2xx/ {bad = $NF}
    END { printf "%.2f", (n - bad) / t }')
  local after; after=$(sqlite3 "$data/yiye.db" "SELECT count(*) FROM sharing_log")
  local non2xx; non2xx=$(printf '%s\n' "$out" | awk '/Non-2xx/ {print $NF}')
  echo "yiye public verify:        $v req/s"
  echo "yiye shared license reads: $s answers 200/s ($((after - before)) access-log entries written${non2xx:+, $non2xx non-2xx answers})"
  awk -v s="$s" -v v="$v" 'BEGIN { r = s / v; printf "ratio shared/verify: %.2f (target >= 0.50) %s\n", r, (r >= 0.5 ? "PASS" : "FAIL") }'
  "$yiye" sharing verify --data "$data" | tail -1
  grep -q '"status":500' "$data/server.log" && { echo "bench: server answered 500" >&2; return 1; }
  return 0
}

bench_shared
