# Sourced by bench/run.sh: public license verification (issue 12).
#
# GET /api/v1/licenses/{number}/verify is what every phone that scans a
# license's QR asks, anonymously, so it is measured like the public JSON
# answer of scenario 1: wrk with keep-alive at the same concurrency ($conns),
# beside nginx serving a static file of the same size (the verify answer
# itself, saved once) in the same run. Target: 0.8 of nginx.
#
# Both servers write an access log line per request, as in scenario 1 (yiye
# always does). nginx without its access log is measured too and printed for
# reference: that was this scenario's baseline until the figure of
# docs/benchmarks.md's "Public verify" history.
#
# The license is one current row of the licenses table written with the
# sqlite3 shell into the server's own database after `yiye init` (the same
# columns issuance writes; the bench measures answering, not issuing), and
# its issue event.
bench_verify() {
  local data="$work/data-verify"
  start_yiye "$data"
  local number="XK-310104-2026-000001"
  local doc='{"type":"行业综合许可证","number":"XK-310104-2026-000001","version":1,"holder":{"name":"徐汇示范便利店有限公司","uscc":"91310104MA1FL0XX1X","legal_rep":"张三"},"industry":{"code":"bianlidian","name":"便利店"},"permits":[{"code":"spjy","name":"食品经营许可","department":"scjgj","department_name":"区市场监管局","basis":"《中华人民共和国食品安全法》第三十五条"}],"valid_from":"2026-12-02","valid_until":"2031-12-01","issuer":{"department":"zwfwb","name":"上海市徐汇区政务服务办公室"},"issued_on":"2026-12-02","district":"310104","kid":"bench"}'
  sqlite3 "$data/yiye.db" <<SQL
.timeout 5000
INSERT INTO licenses (district, number, version, is_current, eid, status, holder_name, holder_uscc,
  legal_rep, address, industry, industry_name, year, serial, valid_from, valid_until, issued_on,
  doc, sig, kid, pdf_sha256, issued_at, updated_at)
VALUES ('310104', '$number', 1, 1, 'bench-eid', 'valid', '徐汇示范便利店有限公司', '91310104MA1FL0XX1X',
  '张三', '徐汇区某路1号', 'bianlidian', '便利店', 2026, 1, '2026-12-02', '2031-12-01', '2026-12-02',
  '$doc', 'sig', 'bench', '', 100, 100);
INSERT INTO license_events (district, seq, number, version, kind, status, actor, at)
VALUES ('310104', 1, '$number', 1, 'issue', 'valid', 'bench', 100);
SQL
  local path="/api/v1/licenses/$number/verify"
  local body
  if ! body=$(curl -fs "http://127.0.0.1:$yport$path"); then
    echo "== public verify: GET $path did not answer 200 (verification not built in this tree?)"
    echo "ratio verify/nginx: 0.00 (target >= 0.80) FAIL"
    return 0
  fi

  local www="$work/nginx-verify/www"
  mkdir -p "$www" "$work/nginx-verify/tmp"
  printf '%s' "$body" > "$www/verify.json"
  chmod -R a+rX "$work/nginx-verify"
  local nport; nport=$(free_port)
  cat > "$work/nginx-verify/nginx.conf" <<CONF
worker_processes 2;
pid $work/nginx-verify/nginx.pid;
error_log $work/nginx-verify/error.log;
events { worker_connections 4096; }
http {
  access_log $work/nginx-verify/access.log;
  client_body_temp_path $work/nginx-verify/tmp; proxy_temp_path $work/nginx-verify/tmp;
  fastcgi_temp_path $work/nginx-verify/tmp; uwsgi_temp_path $work/nginx-verify/tmp; scgi_temp_path $work/nginx-verify/tmp;
  server {
    listen 127.0.0.1:$nport;
    location / { root $www; default_type application/json; }
    location /nolog/ { alias $www/; default_type application/json; access_log off; }
  }
}
CONF
  nginx -c "$work/nginx-verify/nginx.conf" -g 'daemon off;' &
  pids+=($!)
  wait_http "http://127.0.0.1:$nport/verify.json"

  echo "== public verify: GET $path (${#body} bytes) vs nginx static file of the same answer, wrk -t2 -c$conns -d${duration}s"
  wrk -t2 -c"$conns" -d2s "http://127.0.0.1:$nport/verify.json" >/dev/null
  wrk -t2 -c"$conns" -d2s "http://127.0.0.1:$yport$path" >/dev/null
  local n y q
  n=$(wrk -t2 -c"$conns" -d"${duration}s" "http://127.0.0.1:$nport/verify.json" | rps)
  y=$(wrk -t2 -c"$conns" -d"${duration}s" "http://127.0.0.1:$yport$path" | rps)
  q=$(wrk -t2 -c"$conns" -d"${duration}s" "http://127.0.0.1:$nport/nolog/verify.json" | rps)
  echo "nginx static file:  $n req/s"
  echo "yiye public verify: $y req/s"
  awk -v y="$y" -v q="$q" 'BEGIN { printf "for reference, nginx without access log: %s req/s (verify/that %.2f)\n", q, y / q }'
  awk -v y="$y" -v n="$n" 'BEGIN { r = y / n; printf "ratio verify/nginx: %.2f (target >= 0.80) %s\n", r, (r >= 0.8 ? "PASS" : "FAIL") }'
  nginx -c "$work/nginx-verify/nginx.conf" -s stop 2>/dev/null || true
  stop_and_check_log "$ypid" "$data/server.log"
}

bench_verify
