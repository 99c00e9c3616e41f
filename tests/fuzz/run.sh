#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan+UBSan) in BUILD/fuzz and runs each
# for a bounded time on its seed corpus. A crash, a leak, a sanitizer report
# or an abort() in a target's own checks fails the test.
# The targets are the fuzz_* executables CMake defines (one per
# tests/fuzz/fuzz_*.c), asked from the build itself, so a new target runs
# without being listed here. Seeds: tests/fuzz/corpus/NAME when it exists
# (calendar: the shipped year files).
#   tests/fuzz/run.sh SOURCE_DIR BUILD_DIR [SECONDS]
set -euo pipefail
src=$1 out=$2/fuzz secs=${3:-${YIYE_FUZZ_SECONDS:-15}}
cmake -S "$src" -B "$out" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug -DYIYE_FUZZ=ON >/dev/null
cmake --build "$out" -j "$(nproc)" >/dev/null
targets=$(cmake --build "$out" --target help | grep -o '\bfuzz_[A-Za-z0-9_]*' | sort -u | sed 's/^fuzz_//')
[ -n "$targets" ] || { echo "FAIL: no fuzz_* target in $out"; exit 1; }
pass=0 fail=0
for t in $targets; do
  corpus="$out/corpus-$t"
  mkdir -p "$corpus"
  seeds="$src/tests/fuzz/corpus/$t"
  [ "$t" = calendar ] && seeds="$src/catalog/calendar"
  [ -d "$seeds" ] || seeds=
  if YIYE_FUZZ_CATALOG="$src/catalog" "$out/fuzz_$t" -max_total_time="$secs" -timeout=10 \
       -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 "$corpus" ${seeds:+"$seeds"} \
       >"$out/fuzz_$t.log" 2>&1; then
    pass=$((pass + 1))
    echo "fuzz_$t: $(grep -o 'stat::number_of_executed_units: [0-9]*' "$out/fuzz_$t.log" | awk '{print $2}') runs, no failure"
  else
    fail=$((fail + 1))
    echo "FAIL: fuzz_$t"; tail -40 "$out/fuzz_$t.log"
  fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
