# Sourced by bench/run.sh: the verifiable draw of 双随机、一公开 (issue 13) at
# city scale, each figure beside a baseline run in the same invocation on
# the same synthetic list (build/draw_bench generate: 1,000,000 entities,
# 1,000 inspectors in 2 departments, 10,000 declared conflicts).
#
# (a) draw: `draw_bench draw` — read the rows, freeze the plan (check every
#     row, sort, hash the canonical form) and draw (about 57,000 checks with
#     2 inspectors each) — against `shuf -n <the same count>` on the same
#     entity file. Whole processes, wall time, the median of BENCH_DRAW_RUNS
#     (3) runs each, alternating. Targets: under 1 s, within 3 × shuf. The
#     CPU time (user + sys) of each is printed too: on a machine busy with
#     other work, wall times swing more than CPU times.
# (b) freeze: the commitment hashing of draw_prepare (and the whole freeze)
#     against `sha256sum` of the same canonical form written to a file; the
#     two hashes must be equal. Target: the hashing within 1 × sha256sum
#     (both hash the same bytes; libcrypto uses the CPU's SHA extensions).
bench_draw() {
  local bin="$build/draw_bench" dir="$work/draw" runs=${BENCH_DRAW_RUNS:-3}
  [ -x "$bin" ] || { echo "bench: $bin missing" >&2; return 1; }
  "$bin" generate "$dir"
  "$bin" draw "$dir" > "$dir/first.out"
  local n; n=$(awk '/^checks:/ {print $2}' "$dir/first.out")
  shuf -n "$n" "$dir/entities.tsv" >/dev/null # warm the page cache for both
  # One timed run: "wall cpu" in microseconds (bash's time: real, user + sys).
  timed() {
    local TIMEFORMAT='%3R %3U %3S' out
    out=$( { time "$@" >/dev/null; } 2>&1 )
    awk '{ printf "%d %d\n", $1 * 1e6, ($2 + $3) * 1e6 }' <<<"$out"
  }
  local d=() dc=() s=() sc=() i w c
  for i in $(seq 1 "$runs"); do
    read -r w c < <(timed "$bin" draw "$dir"); d+=("$w"); dc+=("$c")
    read -r w c < <(timed shuf -n "$n" "$dir/entities.tsv"); s+=("$w"); sc+=("$c")
  done
  med() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
  local dm sm dcm scm
  dm=$(med "${d[@]}"); sm=$(med "${s[@]}"); dcm=$(med "${dc[@]}"); scm=$(med "${sc[@]}")
  echo "== draw: 1,000,000 entities, 1,000 inspectors, $n checks (median of $runs runs)"
  grep -E '^(read|freeze|select):' "$dir/first.out" | sed 's/^/  first run, in process: /'
  awk -v d="$dm" -v s="$sm" -v dc="$dcm" -v sc="$scm" -v n="$n" 'BEGIN {
    printf "shuf -n %s:           %.1f ms (CPU %.1f ms)\n", n, s / 1000, sc / 1000
    printf "yiye draw (whole run): %.1f ms (CPU %.1f ms; CPU ratio %.2f)\n", d / 1000, dc / 1000, dc / sc
    r = d / 1e6; printf "ratio draw / 1 s: %.2f (target <= 1.00) %s\n", r, (r <= 1 ? "PASS" : "FAIL")
    r = d / s; printf "ratio draw / shuf: %.2f (target <= 3.00) %s\n", r, (r <= 3 ? "PASS" : "FAIL")
  }'

  "$bin" freeze "$dir" "$dir/canonical.txt" > "$dir/freeze.out"
  local sums=() h
  for i in $(seq 1 "$runs"); do
    read -r w c < <(timed sha256sum "$dir/canonical.txt"); sums+=("$w")
  done
  h=$(sha256sum "$dir/canonical.txt" | cut -d' ' -f1)
  local hm; hm=$(med "${sums[@]}")
  local commit; commit=$(awk '/^commitment:/ {print $2}' "$dir/freeze.out")
  local size; size=$(stat -c %s "$dir/canonical.txt")
  echo "== freeze: commitment over the canonical form of the same plan ($size bytes)"
  if [ "$commit" != "$h" ]; then
    echo "bench: commitment $commit differs from sha256sum $h" >&2
    return 1
  fi
  echo "commitment = sha256sum of the canonical form: $commit"
  awk -v hm="$hm" -v out="$(cat "$dir/freeze.out")" 'BEGIN {
    split(out, l, "\n"); for (i in l) { split(l[i], kv, ": "); v[kv[1]] = kv[2] }
    printf "sha256sum (whole run, median):        %.1f ms\n", hm / 1000
    printf "yiye freeze (check, sort, hash; best): %.1f ms\n", v["freeze"]
    printf "yiye commitment hashing alone (best):  %.1f ms\n", v["hash"]
    r = v["hash"] / (hm / 1000); printf "ratio hashing / sha256sum: %.2f (target <= 1.00) %s\n", r, (r <= 1 ? "PASS" : "FAIL")
    r = v["freeze"] / (hm / 1000); printf "ratio freeze / sha256sum: %.2f (no target: checks and sorting a million rows come on top)\n", r
  }'
  rm -rf "$dir"
  return 0
}

bench_draw
