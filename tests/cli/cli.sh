#!/usr/bin/env bash
# CLI contract: every subcommand listed by `yiye --help` answers --help with
# its usage and exit 0; unknown commands and options fail with exit 2;
# configuration comes from environment variables and flags win over them.
#   tests/cli/cli.sh YIYE_BINARY
set -u
yiye=$1
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

tmp=$(mktemp -d /tmp/yiye-cli-XXXXXX)
srv=
cleanup() { [ -n "$srv" ] && kill "$srv" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

"$yiye" --help > "$tmp/help" 2>&1 && ok || bad "yiye --help exit status"
cmds=$(awk '/^命令:/ {on=1; next} on && /^  [a-z]/ {print $1}' "$tmp/help")
[ -n "$cmds" ] && ok || bad "yiye --help lists no commands"
for c in $cmds; do
  out=$("$yiye" "$c" --help 2>&1); rc=$?
  if [ $rc -eq 0 ] && printf '%s' "$out" | grep -q "用法"; then ok; else bad "yiye $c --help (exit $rc)"; fi
done

# Every subcommand that touches data takes --db (SQLite path or PostgreSQL URL).
for c in init serve calendar "catalog import" audit backup restore; do
  # shellcheck disable=SC2086
  "$yiye" $c --help 2>&1 | grep -q -- "--db" && ok || bad "yiye $c does not document --db"
done
# --db is honoured: a database file elsewhere than DATA/yiye.db
"$yiye" init --data "$tmp/dbflag" --db "$tmp/elsewhere.db" >/dev/null 2>&1
[ -f "$tmp/elsewhere.db" ] && [ ! -e "$tmp/dbflag/yiye.db" ] && ok || bad "--db must choose the database"
"$yiye" audit verify --data "$tmp/dbflag" --db "$tmp/elsewhere.db" >/dev/null 2>&1 && ok || bad "audit verify --db"

"$yiye" no-such-command >/dev/null 2>&1; [ $? -eq 2 ] && ok || bad "unknown command must exit 2"
"$yiye" serve --no-such-option >/dev/null 2>&1; [ $? -eq 2 ] && ok || bad "unknown option must exit 2"
"$yiye" serve --listen nonsense >/dev/null 2>&1; [ $? -eq 2 ] && ok || bad "bad --listen must exit 2"
"$yiye" version | grep -q "^yiye " && ok || bad "yiye version"

# Environment configures, flags win: YIYE_DATA points somewhere else, --data wins.
YIYE_DATA="$tmp/env-data" "$yiye" init --data "$tmp/flag-data" >/dev/null 2>&1 || bad "init"
[ -f "$tmp/flag-data/yiye.db" ] && ok || bad "--data must win over YIYE_DATA"
[ ! -e "$tmp/env-data" ] && ok || bad "YIYE_DATA used although --data was given"
YIYE_DATA="$tmp/env-only" "$yiye" init >/dev/null 2>&1
[ -f "$tmp/env-only/yiye.db" ] && ok || bad "YIYE_DATA must be honoured"

# YIYE_LISTEN is honoured by serve (port 0: any free port, written to the port file).
YIYE_LISTEN=127.0.0.1:0 "$yiye" serve --data "$tmp/flag-data" --port-file "$tmp/port" \
  --web /nonexistent >"$tmp/serve.out" 2>&1 &
srv=$!
for _ in $(seq 1 100); do [ -s "$tmp/port" ] && break; sleep 0.1; done
if [ -s "$tmp/port" ] && grep -q "listening on http://127.0.0.1:$(cat "$tmp/port")/" "$tmp/serve.out"; then ok; else bad "YIYE_LISTEN"; fi
kill -TERM "$srv"; wait "$srv"; rc=$?; srv=
[ $rc -eq 0 ] && ok || bad "serve must exit 0 on SIGTERM (got $rc)"

# `init --demo` after a plain `init` never resets an existing account (the administrator's
# one-time password may already be in use): it creates the other demo accounts, leaves admin
# alone, says so, and does not list admin in demo-accounts.json.
d="$tmp/demo-after"
"$yiye" init --data "$d" >"$tmp/init1.out" 2>&1 || bad "plain init"
h1=$(sqlite3 "$d/yiye.db" "SELECT password_hash FROM users WHERE username = 'admin'")
YIYE_PWHASH_FAST=1 "$yiye" init --demo --data "$d" >"$tmp/init2.out" 2>&1 && ok || bad "init --demo after init"
h2=$(sqlite3 "$d/yiye.db" "SELECT password_hash FROM users WHERE username = 'admin'")
[ -n "$h1" ] && [ "$h1" = "$h2" ] && ok || bad "init --demo reset the admin password"
grep -q "账号 admin 已存在.*未改动其密码" "$tmp/init2.out" && ok || bad "init --demo must say it left admin alone"
grep -q '"username": "admin"' "$d/demo-accounts.json" && bad "admin listed in demo-accounts.json with a wrong password" || ok
grep -q '"username": "clerk"' "$d/demo-accounts.json" && ok || bad "init --demo must create the other demo accounts"
# …and a second --demo run keeps the demo passwords it wrote.
cp "$d/demo-accounts.json" "$tmp/demo1.json"
YIYE_PWHASH_FAST=1 "$yiye" init --demo --data "$d" >"$tmp/init3.out" 2>&1 && ok || bad "init --demo again"
cmp -s "$d/demo-accounts.json" "$tmp/demo1.json" && ok || bad "a second init --demo changed demo passwords"
# The demo inspectors go on the supervision inspector register in the same init, once.
grep -Eq "执法检查人员名录：新登记演示检查人员 [1-9][0-9]* 名" "$tmp/init2.out" && ok || bad "init --demo must register the demo inspectors"
grep -q "执法检查人员名录：新登记演示检查人员 0 名" "$tmp/init3.out" && ok || bad "a second init --demo registered inspectors again"

# Demo staff: every department that owns a permit in the catalog has a reviewer, an inspector
# and a supervisor (the market regulator 区市场监管局 two inspectors), and there is a window clerk
# and an issuer of 区政务服务办; each entry carries its roles and department.
catalog=${YIYE_CATALOG:-$(dirname "$0")/../../catalog}
if python3 - "$catalog" "$d/demo-accounts.json" <<'PY'
import json, sys
catalog, accounts = sys.argv[1], json.load(open(sys.argv[2]))
depts = {d["name"]: d["code"] for d in json.load(open(catalog + "/departments.json"))}
owners = {p["department"] for p in json.load(open(catalog + "/permits.json"))}
def count(role, dept=None):
    return sum(1 for a in accounts if role in a["roles"] and (dept is None or a["department"] == dept))
missing = [f"{r}@{d}" for d in sorted(owners) for r in ("reviewer", "inspector", "supervisor") if count(r, d) < 1]
if count("inspector", depts["区市场监管局"]) < 2:
    missing.append("second inspector@" + depts["区市场监管局"])
if count("window_clerk") < 1:
    missing.append("window_clerk")
if count("issuer", depts["区政务服务办"]) < 1:
    missing.append("issuer@" + depts["区政务服务办"])
if any(not isinstance(a.get("roles"), list) or "department" not in a for a in accounts):
    missing.append("roles/department keys")
print(" ".join(missing))
sys.exit(1 if missing else 0)
PY
then ok; else bad "init --demo must create the staff of every permit-owning department"; fi

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
