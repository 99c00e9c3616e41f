# Sourced by bench/run.sh: the same scenarios on PostgreSQL, in a throw-away
# cluster (tests/pg/pgctl.sh) stopped and removed when the run ends.
pgstate=$(mktemp -d /tmp/yiye-bench-pg-XXXXXX)
pgstop() { "$root/tests/pg/pgctl.sh" stop "$pgstate" >/dev/null 2>&1 || true; }
# Servers first (cleanup), then the cluster they use.
trap 'cleanup; pgstop' EXIT
"$root/tests/pg/pgctl.sh" start "$pgstate" >/dev/null
"$root/tests/pg/pgctl.sh" createdb "$pgstate" bench
bench_http pg --db "$(cat "$pgstate/url")/bench"
