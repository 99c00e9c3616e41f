#!/usr/bin/env bash
# `yiye draw verify`: exit 0 only when the published selection matches the
# record, 1 naming the part that does not (Chinese and English), 2 on a
# usage or read error; the record from a file or from stdin (`-`).
# Records: tests/fuzz/corpus/draw_record/ (small.json is a genuine record of
# a 200-entity plan, tampered.json the same with one selected entity changed).
#   tests/cli/draw_verify.sh YIYE_BINARY SOURCE_DIR
set -u
yiye=$1 src=$2
rec="$src/tests/fuzz/corpus/draw_record"
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
tmp=$(mktemp -d /tmp/yiye-drawcli-XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# run EXPECTED_EXIT GREP_PATTERN ARGS... (stdin from $input when set)
run() {
  local want=$1 pat=$2 rc; shift 2
  if [ -n "${input:-}" ]; then "$yiye" "$@" <"$input" >"$tmp/out" 2>&1; else "$yiye" "$@" >"$tmp/out" 2>&1; fi
  rc=$?
  if [ "$rc" -eq "$want" ] && grep -q -- "$pat" "$tmp/out"; then ok; else
    bad "yiye $* (stdin ${input:-none}): exit $rc, want $want and /$pat/"; sed 's/^/  | /' "$tmp/out"; fi
}

# A genuine record matches: file and stdin.
run 0 "抽取结果与记录一致 / the published selection matches" draw verify "$rec/small.json"
run 0 "承诺值 commitment: [0-9a-f]\{64\}" draw verify "$rec/small.json"
input="$rec/small.json" run 0 "matches" draw verify -

# One selected entity altered: exit 1, says which.
run 1 "does NOT verify: the published selection differs" draw verify "$rec/tampered.json"
run 1 "selection_mismatch.*selection\[0\].entity" draw verify "$rec/tampered.json"
input="$rec/tampered.json" run 1 "selection_mismatch" draw verify -

# An input changed after the commitment: the commitment no longer matches.
python3 - "$rec/small.json" "$tmp" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
t = sys.argv[2]
c = json.loads(json.dumps(r)); c["ratios"]["A"] += 1; json.dump(c, open(t + "/ratio.json", "w"), ensure_ascii=False)
c = json.loads(json.dumps(r)); c["secret"] = "00" * 32; json.dump(c, open(t + "/secret.json", "w"), ensure_ascii=False)
c = json.loads(json.dumps(r)); c["public_value"] += "1"; json.dump(c, open(t + "/public.json", "w"), ensure_ascii=False)
c = json.loads(json.dumps(r)); del c["entities"][0]["grade"]; json.dump(c, open(t + "/nograde.json", "w"), ensure_ascii=False)
c = json.loads(json.dumps(r)); c["inspectors_per_check"] = "2"; json.dump(c, open(t + "/type.json", "w"), ensure_ascii=False)
open(t + "/truncated.json", "w").write(json.dumps(r, ensure_ascii=False)[:5000])
PY
run 1 "commitment_mismatch" draw verify "$tmp/ratio.json"
run 1 "the published commitment is not the hash" draw verify "$tmp/ratio.json"
run 1 "secret_mismatch" draw verify "$tmp/secret.json"
run 1 "selection_mismatch" draw verify "$tmp/public.json"
# Malformed records: precise reasons, never a crash.
run 1 "bad_record.*entities\[0\].grade" draw verify "$tmp/nograde.json"
run 1 "bad_record.*inspectors_per_check" draw verify "$tmp/type.json"
run 1 "not a valid draw record" draw verify "$tmp/truncated.json"
printf 'not json' >"$tmp/garbage"
run 1 "不是有效的 JSON" draw verify "$tmp/garbage"
: >"$tmp/empty"
input="$tmp/empty" run 1 "bad_record" draw verify -

# Usage and read errors: exit 2.
run 2 "无法打开文件" draw verify "$tmp/does-not-exist.json"
run 2 "用法" draw verify
run 2 "用法" draw check "$rec/small.json"
run 2 "用法" draw
run 0 "用法" draw --help
run 0 "用法" draw verify --help

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
