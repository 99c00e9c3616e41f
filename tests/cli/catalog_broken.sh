#!/usr/bin/env bash
# `yiye catalog check` and `yiye catalog test` pass on the shipped catalog and
# fail, naming file, path and problem, on broken copies made here.
#   tests/cli/catalog_broken.sh YIYE_BINARY CATALOG_DIR
set -u
yiye=$1 src=$2
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
tmp=$(mktemp -d /tmp/yiye-catalog-XXXXXX)
trap 'rm -rf "$tmp"' EXIT

fresh() { rm -rf "$tmp/c"; cp -r "$src" "$tmp/c"; }
# expect CMD-ARGS… -- PATTERN…: exit 1 and every pattern in the output
expect_fail() {
  local what=$1; shift
  local args=() pats=()
  while [ "$1" != "--" ]; do args+=("$1"); shift; done; shift
  pats=("$@")
  out=$("$yiye" catalog "${args[@]}" 2>&1); rc=$?
  [ $rc -eq 1 ] || { bad "$what: exit $rc, expected 1"; echo "$out" | tail -5; return; }
  for p in "${pats[@]}"; do
    printf '%s' "$out" | grep -qF -- "$p" || { bad "$what: output lacks '$p'"; echo "$out" | tail -5; return; }
  done
  ok
}

"$yiye" catalog check "$src" >/dev/null 2>&1 && ok || bad "shipped catalog: check"
"$yiye" catalog test "$src" >/dev/null 2>&1 && ok || bad "shipped catalog: test"

# A broken reference: a permit of an unknown department.
fresh
sed -i '0,/"department": "scjgj"/s//"department": "nowhere"/' "$tmp/c/permits.json"
expect_fail "unknown department" check "$tmp/c" -- "permits.json" "nowhere"

# Malformed JSON names the file.
fresh
printf '{"code": ' > "$tmp/c/industries/shudian.json"
expect_fail "unparsable file" check "$tmp/c" -- "industries/shudian.json"

# edit FILE JS: applies a JavaScript edit to the parsed JSON file `j`.
edit() { node -e 'const fs=require("fs"); const f=process.argv[1]; const j=JSON.parse(fs.readFileSync(f)); (new Function("j", process.argv[2]))(j); fs.writeFileSync(f, JSON.stringify(j, null, 2));' "$1" "$2"; }

# A rule condition on an unknown question names the rule's path.
fresh
edit "$tmp/c/industries/shudian.json" 'j.rules[0].when = {"eq": ["q_nonexistent", true]};'
expect_fail "unknown question in a rule" check "$tmp/c" -- "industries/shudian.json" "rules[0].when" "q_nonexistent"

# A material nobody uses is reported.
fresh
edit "$tmp/c/materials.json" 'j.push({"id": "M_orphan", "name": "无人使用的材料"});'
expect_fail "unused material" check "$tmp/c" -- "materials.json" "M_orphan"

# A rule test whose expectation is wrong fails `catalog test` with its name.
fresh
edit "$tmp/c/industries/shudian.json" 'j.tests[0].expect.permits.push("P_tobacco_retail");'
expect_fail "wrong rule test expectation" test "$tmp/c" -- "industries/shudian.json" "tests[0]"

# Honest data: an unknown roll-out status, a batch without a source, a count in
# the text that differs from the permits merged, an invented phone number.
fresh
edit "$tmp/c/industries/shudian.json" 'j.status = "active";'
expect_fail "unknown roll-out status" check "$tmp/c" -- "industries/shudian.json" "status" "active"

fresh
edit "$tmp/c/industries/shudian.json" 'j.batch = 1;'
expect_fail "batch without a source" check "$tmp/c" -- "industries/shudian.json" "batch" "batch_source"

fresh
edit "$tmp/c/industries/bianlidian.json" 'j.description = "可合并办理五项许可";'
expect_fail "count in text" check "$tmp/c" -- "industries/bianlidian.json: description" "5 项许可" "7 项许可"

fresh
edit "$tmp/c/catalog.json" 'j.service.phone = {"text": "021-64871234", "status": "to_confirm"};'
expect_fail "unconfirmed phone number" check "$tmp/c" -- "catalog.json: service.phone" "待确认"

fresh
edit "$tmp/c/industries/xiangcunminsu.json" 'j.status = "in_force";'
expect_fail "in force without a date" check "$tmp/c" -- "industries/xiangcunminsu.json: effective_date"

# Inspection checklists: a permit needing an inspection must have one; ids are unique in the
# catalog; every item has a text; a permit needing no inspection has none.
fresh
edit "$tmp/c/permits.json" 'delete j.find(p => p.code === "P_food_sale").inspection_checklist;'
expect_fail "missing inspection checklist" check "$tmp/c" -- "permits.json" "inspection_checklist" "P_food_sale"
fresh
edit "$tmp/c/permits.json" 'const f = j.find(p => p.code === "P_fire_check"); f.inspection_checklist[1].id = j.find(p => p.code === "P_food_sale").inspection_checklist[0].id; f.inspection_checklist[2].text = " ";'
expect_fail "duplicate checklist id, blank text" check "$tmp/c" -- "inspection_checklist[1].id" "重复" "inspection_checklist[2].text"
fresh
edit "$tmp/c/permits.json" 'j.find(p => p.code === "P_signboard").inspection_checklist = [{"id": "K_sign", "text": "招牌"}];'
expect_fail "checklist on a permit without inspection" check "$tmp/c" -- "inspection_checklist" "无需现场核查"

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
