#!/usr/bin/env bash
# The monthly report (issue 15, stats-ui): after `yiye init --demo` (which makes
# a demo processing history through the workflow code), the month with the most applications is
# reported twice — GET /api/v1/statistics/reports/monthly?month= and
# `yiye report monthly --month` — and pdftotext must find in both every
# headline figure of GET /api/v1/statistics/overview for that month, printed
# as the report prints it (docs/api-statistics.md "Dashboards and the monthly
# report": integers as they are, other numbers with one decimal, rates as a
# percentage with one decimal). A bad month is 400 naming the field, before
# anything else; without a session the route is 401; the command line refuses
# a bad month with exit status 2 and writes no file.
#
#   tests/cli/report.sh YIYE_BINARY
# Needs curl, python3 and pdftotext (poppler-utils).
set -u
yiye=$1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/yiye-report.XXXXXX")
pid=""
fails=0
cleanup() {
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
ok() { :; }
bad() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
for t in curl python3 pdftotext; do
	command -v "$t" >/dev/null || { echo "FAIL: $t is missing (scripts/deps.sh test)" >&2; exit 1; }
done

d="$tmp/data"
YIYE_PWHASH_FAST=1 "$yiye" init --demo --data "$d" >"$tmp/init.out" 2>&1 || { cat "$tmp/init.out" >&2; exit 1; }
YIYE_PWHASH_FAST=1 "$yiye" serve --data "$d" --listen 127.0.0.1:0 --port-file "$tmp/port" \
	--web /nonexistent >"$tmp/serve.out" 2>&1 &
pid=$!
# The port file appears once the server listens; `serve` exiting ends the wait.
while [ ! -s "$tmp/port" ] && kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
[ -s "$tmp/port" ] || { cat "$tmp/serve.out" >&2; exit 1; }
base="http://127.0.0.1:$(cat "$tmp/port")"

# No session: 401, before anything else is judged.
code=$(curl -s -o /dev/null -w '%{http_code}' "$base/api/v1/statistics/reports/monthly?month=2026-01")
[ "$code" = 401 ] && ok || bad "without a session the report must be 401 (got $code)"

pw=$(python3 -c 'import json,sys; print(next(a["password"] for a in json.load(open(sys.argv[1])) if a["username"]=="auditor"))' \
	"$d/demo-accounts.json" 2>/dev/null ||
	python3 -c 'import json,sys; print(next(a["password"] for a in json.load(open(sys.argv[1]))["accounts"] if a["username"]=="auditor"))' \
		"$d/demo-accounts.json")
curl -sS -c "$tmp/jar" -o /dev/null -H 'Content-Type: application/json' \
	-d "{\"username\":\"auditor\",\"password\":\"$pw\"}" "$base/api/v1/session" || bad "login"
get() { curl -sS -b "$tmp/jar" -o "$2" -w '%{http_code}' "$base$1"; }

for m in 2026-13 2026-1 26-01 2026-01x ""; do
	code=$(get "/api/v1/statistics/reports/monthly?month=$m" "$tmp/err.json")
	if [ "$code" = 400 ] && grep -q '"field":"month"' "$tmp/err.json"; then ok; else
		bad "month '$m' must be 400 naming month (got $code $(cat "$tmp/err.json"))"
	fi
done

# The month with the most applications over the last two years.
code=$(get "/api/v1/statistics/views/trends?from=$(date -u -d '-23 months' +%Y-%m-01)&to=$(date -u +%Y-%m-%d)" "$tmp/trends.json")
[ "$code" = 200 ] || { bad "trends view: $code"; exit 1; }
month=$(python3 - "$tmp/trends.json" <<'EOF'
import json, sys
t = json.load(open(sys.argv[1]))
first = t["columns"][0]["key"]
count = next((c["key"] for c in t["columns"] if c["key"] in ("applications", "applications_total", "submitted")), t["columns"][1]["key"])
rows = [r for r in t["rows"] if isinstance(r.get(count), (int, float))]
best = max(rows, key=lambda r: r[count]) if rows else None
print(str(best[first])[:7] if best and best[count] > 0 else "")
EOF
)
[ -n "$month" ] || { bad "init --demo must leave a history: no month with applications"; exit 1; }
from="$month-01"
to=$(date -u -d "$from +1 month -1 day" +%Y-%m-%d)

code=$(get "/api/v1/statistics/overview?from=$from&to=$to" "$tmp/overview.json")
[ "$code" = 200 ] || bad "overview: $code"
code=$(curl -sS -b "$tmp/jar" -D "$tmp/h" -o "$tmp/api.pdf" -w '%{http_code}' \
	"$base/api/v1/statistics/reports/monthly?month=$month")
[ "$code" = 200 ] && grep -qi '^content-type: application/pdf' "$tmp/h" && ok ||
	bad "the report must answer a PDF (got $code)"

# A department's reviewer gets the report of their department: its scope
# named, its figures those of the reviewer's own overview (narrowed alike).
rpw=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d=d if isinstance(d,list) else d["accounts"]; print(next(a["password"] for a in d if a["username"]=="reviewer"))' "$d/demo-accounts.json")
curl -sS -c "$tmp/jar2" -o /dev/null -H 'Content-Type: application/json' \
	-d "{\"username\":\"reviewer\",\"password\":\"$rpw\"}" "$base/api/v1/session" || bad "reviewer login"
curl -sS -b "$tmp/jar2" -o "$tmp/rev.json" "$base/api/v1/statistics/overview?from=$from&to=$to"
curl -sS -b "$tmp/jar2" -o "$tmp/rev.pdf" "$base/api/v1/statistics/reports/monthly?month=$month"
pdftotext -layout -enc UTF-8 "$tmp/rev.pdf" - | tr -d ' \t\f\r' >"$tmp/rev.txt"
grep -q "统计范围：区市场监管局" "$tmp/rev.txt" || bad "the reviewer's report must name its department"
rtotal=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["applications"]["total"])' "$tmp/rev.json")
grep -q "申请总数${rtotal}件" "$tmp/rev.txt" || bad "the reviewer's report must show their overview's total ($rtotal)"

kill "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
pid=""

"$yiye" report monthly --month "$month" --data "$d" --out "$tmp/cli.pdf" >"$tmp/cli.out" 2>&1 ||
	bad "yiye report monthly: $(cat "$tmp/cli.out")"
"$yiye" report monthly --month 2026-13 --data "$d" --out "$tmp/none.pdf" >/dev/null 2>&1
[ $? -eq 2 ] && [ ! -e "$tmp/none.pdf" ] && ok || bad "a bad --month must exit 2 and write nothing"

# The headline figures as the report prints them, each looked for in both PDFs
# next to its label (white space removed: pdftotext spaces CJK next to
# digits as it likes).
python3 - "$tmp/overview.json" >"$tmp/figures" <<'EOF'
import json, sys
o = json.load(open(sys.argv[1]))
figures = [("applications.total", "申请总数", 0), ("licenses.issued", "发放许可证", 0),
           ("duration.mean_days", "平均办理用时", 0), ("duration.median_days", "办理用时中位数", 0),
           ("duration.p90_days", "办理用时第90百分位", 0), ("duration.on_time_rate", "按时办结率", 1),
           ("satisfaction.ratings", "好差评评价数", 0), ("satisfaction.satisfied_rate", "满意率", 1)]
for path, label, rate in figures:
    v = o
    for k in path.split("."):
        v = v.get(k) if isinstance(v, dict) else None
    if isinstance(v, bool) or v is None:
        text = "—"
    elif rate:
        text = "%.1f%%" % (v * 100)
    elif isinstance(v, int):
        text = "%d" % v
    else:
        text = "%.1f" % v
    print(label + "\t" + text)
EOF
total=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["applications"]["total"])' "$tmp/overview.json")
[ "$total" -gt 0 ] 2>/dev/null || bad "the reported month has applications (total $total)"
for pdf in api cli; do
	[ -s "$tmp/$pdf.pdf" ] || { bad "$pdf.pdf missing"; continue; }
	# -layout keeps a figure's label and value on one line; spaces removed.
	pdftotext -layout -enc UTF-8 "$tmp/$pdf.pdf" - | tr -d ' \t\f\r' >"$tmp/$pdf.txt"
	grep -q "$from至$to" "$tmp/$pdf.txt" || bad "$pdf: the period $from 至 $to"
	while IFS=$'\t' read -r label text; do
		grep -qF "$label$text" "$tmp/$pdf.txt" || bad "$pdf: $label $text (the API's) missing"
	done <"$tmp/figures"
done

[ $fails -eq 0 ] && echo "report: ok" || exit 1
