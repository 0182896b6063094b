#!/usr/bin/env bash
# Benchmark of the statistics over 100,000 generated complaints, on SQLite and PostgreSQL.
# Not part of CI. Prints one Markdown table row per database (see BENCHMARKS.md).
#
#   bench/stats.sh [complaints]        # default 100000
#
# PostgreSQL: BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432; not DUBAN_…,
# which the service reads as its own settings); the throwaway
# database `duban_bench` is dropped and created again.
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-100000}"
pg="${BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432}"
target="${CARGO_TARGET_DIR:-target}"
cargo build --release -p duban-tests --bin stats_bench >&2
bin="$target/release/stats_bench"

file="$(mktemp -d)/duban_bench.sqlite"
"$bin" "sqlite://$file?mode=rwc" "$count"
rm -f "$file" "$file-wal" "$file-shm"

psql "$pg/postgres" -q -c 'DROP DATABASE IF EXISTS duban_bench' -c 'CREATE DATABASE duban_bench' >&2
"$bin" "$pg/duban_bench" "$count"
psql "$pg/postgres" -q -c 'DROP DATABASE IF EXISTS duban_bench' >&2
