# Sourced by bench/run.sh: the license PDF (issue 12), in-process, each figure
# beside a baseline measured in the same run (bench/render_bench.c says what
# each one is): PDF renders per second against the same drawing on an image
# surface without the PDF backend (CPU time per render), and two rendering
# threads against one. BENCH_RENDER_SECONDS (3) per figure.
bench_render() {
  local bin="$build/render_bench"
  [ -x "$bin" ] || { echo "bench: $bin is missing (cmake --build $build)" >&2; return 1; }
  echo "== license PDF rendering: render_license_pdf of a 4-permit 便利店 license vs the same drawing to an A4 image, and 2 threads vs 1"
  # Exit status 1 is a missed target, already printed as FAIL; 2 is an error.
  "$bin" "${BENCH_RENDER_SECONDS:-3}" || [ $? -eq 1 ]
}

bench_render
