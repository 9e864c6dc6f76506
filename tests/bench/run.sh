#!/bin/sh
# Runs every benchmark program (build/release/bench/bench_*) and every
# tests/bench/run_*.sh script; each prints its own figures and ratios.
: "${BENCH_DIR:=build/release/bench}"
for b in "$BENCH_DIR"/bench_*; do
    [ -x "$b" ] || continue
    echo "== $(basename "$b")"
    "$b" || echo "(benchmark $b failed)"
done
for s in tests/bench/run_*.sh; do
    [ -f "$s" ] || continue
    echo "== $(basename "$s")"
    BENCH_DIR=$BENCH_DIR sh "$s" || echo "(benchmark script $s failed)"
done
