#!/usr/bin/env bash
# `yiye demo history` (stats-history): the same seed gives the same history
# (every figure and every timestamp of it), spread over two years and every
# offered industry, every generated row marked demo, nothing the workflow
# would refuse (every licensed application has its approvals and passed
# inspections, no request refused, the audit chain intact); `init --demo`
# makes a modest history once.
#   tests/cli/demo_history.sh YIYE_BINARY SOURCE_DIR
set -u
yiye=$1 src=$2
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
tmp=$(mktemp -d /tmp/yiye-history-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
export YIYE_PWHASH_FAST=1
N=40 UNTIL=2026-07-01

q() { sqlite3 "$1/yiye.db" "$2"; }

# The figures a dashboard shows, and the history's own times (not the
# supervision draws' selections: see below).
figures() {
  q "$1" "SELECT status, industry, walk_in, rounds, COUNT(*) FROM applications GROUP BY 1, 2, 3, 4;
          SELECT id, number, status, created_at, submitted_at, decided_at, updated_at FROM applications ORDER BY id;
          SELECT number, version, status, issued_at FROM licenses ORDER BY id;
          SELECT application_id, department, review, inspect, decided_at FROM application_departments ORDER BY 1, 2;
          SELECT title, status, created_at FROM spot_plans ORDER BY id;
          SELECT COUNT(*) FROM spot_draws;
          SELECT uscc, year, filed_on FROM annual_reports ORDER BY id;
          SELECT application_id, level, rated_at FROM ratings ORDER BY id;
          SELECT department, state, due_day, replied_on FROM rating_followups ORDER BY id;"
}

for d in a b; do
  "$yiye" init --demo --history 0 --data "$tmp/$d" >"$tmp/init-$d.out" 2>&1 || bad "init --demo --history 0 ($d)"
  q "$tmp/$d" "SELECT COUNT(*) FROM users; SELECT COUNT(*) FROM entities;" >"$tmp/base-$d"
  # the statistics' fact rows exist before the history: from here on only
  # the workflow's own writes keep them (checked below)
  "$yiye" statistics rebuild --data "$tmp/$d" >/dev/null 2>&1 || bad "statistics rebuild ($d)"
  "$yiye" demo history --data "$tmp/$d" --applications $N --seed 5 --until $UNTIL \
    >"$tmp/run-$d.out" 2>&1 && ok || { bad "demo history ($d)"; sed 's/^/  | /' "$tmp/run-$d.out" | tail -20; }
done

# Reproducible: the same seed, the same history (every row). Which entities a
# spot-check draw selects comes from the draw's own secret (commit-reveal,
# unpredictable by design), so the checks and what follows from them
# (penalties) are left out.
figures "$tmp/a" >"$tmp/fig-a"
figures "$tmp/b" >"$tmp/fig-b"
[ -s "$tmp/fig-a" ] && cmp -s "$tmp/fig-a" "$tmp/fig-b" && ok ||
  { bad "the same seed gave another history"; diff "$tmp/fig-a" "$tmp/fig-b" | head -10; }
# …and another seed another one.
"$yiye" init --demo --history 0 --data "$tmp/c" >/dev/null 2>&1
"$yiye" demo history --data "$tmp/c" --applications $N --seed 6 --until $UNTIL >/dev/null 2>&1
figures "$tmp/c" >"$tmp/fig-c"
cmp -s "$tmp/fig-a" "$tmp/fig-c" && bad "seed 6 gave the history of seed 5" || ok

a="$tmp/a"
# What the run made (the summary), and that nothing was refused or failed.
grep -q '"applications": '$N "$tmp/run-a.out" && ok || bad "not $N applications"
grep -q '"refused_by_rules": 0' "$tmp/run-a.out" && ok || bad "requests were refused"
for k in licensed supplements inspections rejected changed rated handovers plans draws checks annual_reports; do
  grep -Eq "\"$k\": [1-9]" "$tmp/run-a.out" && ok || bad "no $k in the history"
done

# Spread: both years, at least 12 months, every offered industry.
years=$(q "$a" "SELECT COUNT(DISTINCT strftime('%Y', submitted_at, 'unixepoch', '+8 hours')) FROM applications WHERE submitted_at IS NOT NULL")
months=$(q "$a" "SELECT COUNT(DISTINCT strftime('%Y-%m', submitted_at, 'unixepoch', '+8 hours')) FROM applications WHERE submitted_at IS NOT NULL")
span=$(q "$a" "SELECT (MAX(submitted_at) - MIN(submitted_at)) / 86400 FROM applications")
[ "$years" -eq 2 ] && [ "$months" -ge 12 ] && [ "$span" -ge 365 ] && ok ||
  bad "history not spread over two years: $years years, $months months, $span days"
[ "$(q "$a" "SELECT MAX(updated_at) < strftime('%s', '$UNTIL', '-8 hours') FROM applications")" = 1 ] && ok ||
  bad "an event after --until"
offered=$(grep -lE '"status": *"(in_force|piloting)"' "$src"/catalog/industries/*.json | wc -l)
inds=$(q "$a" "SELECT COUNT(DISTINCT industry) FROM applications")
[ "$offered" -gt 0 ] && [ "$inds" -eq "$offered" ] && ok || bad "$inds industries of $offered offered"

# Every generated row marked demo: what init made stays 0, the rest is 1.
q "$a" "SELECT COUNT(*) FROM users WHERE demo = 0; SELECT COUNT(*) FROM entities WHERE demo = 0;" >"$tmp/left-a"
cmp -s "$tmp/base-a" "$tmp/left-a" && ok || bad "rows of init marked demo, or generated rows not"
for t in applications application_history application_departments application_permits \
  application_materials tasks inspections inspection_sections notifications licenses license_handovers \
  license_events spot_plans spot_draws check_tasks check_task_inspectors penalties \
  annual_reports supervision_events credit_records ratings rating_followups complaints \
  complaint_departments; do
  n=$(q "$a" "SELECT COUNT(*) FROM $t WHERE demo = 0")
  [ "$n" = 0 ] && ok || bad "$n rows of $t not marked demo"
done
[ "$(q "$a" "SELECT COUNT(*) FROM applications")" -ge $N ] && ok || bad "applications missing"

# No rule bypassed: a license only after every department approved and every
# inspection passed; every license from a licensed application.
n=$(q "$a" "SELECT COUNT(*) FROM applications a JOIN application_departments d ON d.application_id = a.id
            WHERE a.status = 'licensed' AND (d.review <> 'approved' OR d.inspect NOT IN ('none', 'pass'))")
[ "$n" = 0 ] && ok || bad "$n licensed applications lack an approval or a passed inspection"
n=$(q "$a" "SELECT COUNT(*) FROM licenses l LEFT JOIN applications a ON a.id = l.application_id
            WHERE a.id IS NULL OR a.status <> 'licensed'")
[ "$n" = 0 ] && ok || bad "$n licenses without a licensed application"
n=$(q "$a" "SELECT COUNT(*) FROM applications WHERE status IN ('licensed', 'approved', 'rejected') AND
            id NOT IN (SELECT application_id FROM application_history WHERE action = 'accept')")
[ "$n" = 0 ] && ok || bad "$n decided applications were never accepted"
"$yiye" audit verify --data "$a" >"$tmp/audit.out" 2>&1 && ok || { bad "audit chain"; cat "$tmp/audit.out"; }

# The statistics' fact rows the workflow kept while the history ran equal
# those derived again from the sources by `yiye statistics rebuild`: no
# write the statistics read of an application (its saves, its license, a
# hand-over, a material obtained by sharing) left its row behind.
facts() {
  q "$1" "SELECT application_id, submitted_on, month, industry, status, kind, notice_hash, walk_in,
            rounds, paused, time_limit, prefilled, shared, licensed_on, window_handover
          FROM stats_facts ORDER BY application_id"
}
facts "$a" >"$tmp/facts-kept"
"$yiye" statistics rebuild --data "$a" >"$tmp/rebuild.out" 2>&1 && ok || { bad "statistics rebuild"; cat "$tmp/rebuild.out"; }
facts "$a" >"$tmp/facts-rebuilt"
[ -s "$tmp/facts-kept" ] && cmp -s "$tmp/facts-kept" "$tmp/facts-rebuilt" && ok ||
  { bad "fact rows kept by the workflow differ from the rebuilt ones"; diff "$tmp/facts-kept" "$tmp/facts-rebuilt" | head -10; }
n=$(q "$a" "SELECT COUNT(*) FROM applications WHERE clock_start IS NOT NULL")
grep -q "：$n 件申请" "$tmp/rebuild.out" && ok || bad "rebuild did not count $n applications: $(cat "$tmp/rebuild.out")"
[ "$(q "$a" "SELECT COUNT(*) FROM stats_facts WHERE licensed_on IS NOT NULL AND days > 0 AND settled = 1")" -gt 0 ] &&
  [ "$(q "$a" "SELECT COUNT(*) FROM stats_facts WHERE window_handover > 0")" -gt 0 ] &&
  [ "$(q "$a" "SELECT COUNT(*) FROM stats_facts WHERE kind <> 'new'")" -gt 0 ] && ok ||
  bad "the history's facts lack licenses, window hand-overs or lifecycle kinds"

# init --demo: a modest history by default, once.
"$yiye" init --demo --data "$tmp/d" >"$tmp/init-d.out" 2>&1 && ok || bad "init --demo"
[ "$(q "$tmp/d" "SELECT COUNT(*) FROM demo_runs")" = 1 ] && ok || bad "init --demo made no history"
[ "$(q "$tmp/d" "SELECT COUNT(*) FROM applications WHERE demo = 1")" -gt 0 ] && ok || bad "init --demo: no applications"
"$yiye" init --demo --data "$tmp/d" >"$tmp/init-d2.out" 2>&1 && ok || bad "init --demo again"
grep -q "已生成过，跳过" "$tmp/init-d2.out" && [ "$(q "$tmp/d" "SELECT COUNT(*) FROM demo_runs")" = 1 ] && ok ||
  bad "a second init --demo made another history"
# …and a second `demo history` adds to it without clashing.
"$yiye" demo history --data "$tmp/d" --applications 3 >"$tmp/more.out" 2>&1 && ok ||
  { bad "a second demo history"; tail -5 "$tmp/more.out"; }

# Bad input.
"$yiye" demo history --data "$tmp/d" --applications -1 >/dev/null 2>&1; [ $? -eq 2 ] && ok || bad "--applications -1"
"$yiye" demo history --data "$tmp/d" --until 2026-13-01 >/dev/null 2>&1; [ $? -eq 2 ] && ok || bad "--until bad date"
"$yiye" demo history --data "$tmp/d" --until 2000-01-01 >"$tmp/cal.out" 2>&1; [ $? -eq 1 ] && grep -q "节假日" "$tmp/cal.out" && ok ||
  bad "--until before the calendar"
"$yiye" demo --help >/dev/null 2>&1 && ok || bad "demo --help"

echo "demo history: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
