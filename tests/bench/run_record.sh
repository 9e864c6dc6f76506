#!/bin/sh
# Cost of recording weight trajectories (--record-every 10, the paper's
# granularity) on training: 784-100-10, batch 50, lr 0.05, 20 epochs
# headless, best of 3 wall times, with the live metrics off (the harshest
# ratio: training alone) and at their defaults. Records are copied into a
# queue and packed and written by a thread beside training, so the cost
# depends on a free core: also timed with OpenBLAS on one thread (the
# writer then has the other core to itself). Target: < 10%.
: "${NEUROTOP:=./neurotop}"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. tests/bench/wall_lib.sh
one_run() {
    rm -rf "$T/r$REP"
    "$NEUROTOP" train --headless --epochs 20 --save-every 0 --hidden 100 --batch 50 --lr 0.05 --runs "$T/r$REP" "$@"
}
best() { best_wall one_run "$@"; }
"$NEUROTOP" train --headless --epochs 2 --save-every 0 --runs "$T/warm" >/dev/null || exit 1
plain=$(best --qreps 0 --flexreps 0) || exit 1
rec=$(best --qreps 0 --flexreps 0 --record-every 10) || exit 1
half=$(best --qreps 0 --flexreps 0 --record-every 10 --record-precision half) || exit 1
size=$(du -sk "$T/r1" | awk '{ printf "%.1f", $1 / 1024 }')
one=$(OPENBLAS_NUM_THREADS=1 best --qreps 0 --flexreps 0) || exit 1
onerec=$(OPENBLAS_NUM_THREADS=1 best --qreps 0 --flexreps 0 --record-every 10) || exit 1
live=$(best) || exit 1
liverec=$(best --record-every 10) || exit 1
echo "result 20 epochs, training alone:                         $plain s"
echo "result 20 epochs, training alone, --record-every 10:      $rec s"
echo "result 20 epochs, training alone, --record-every 10 half: $half s ($size MB on disk)"
echo "result 20 epochs, training alone, one BLAS thread:        $one s"
echo "result 20 epochs, the same, --record-every 10:            $onerec s"
echo "result 20 epochs, live metrics on:                        $live s"
echo "result 20 epochs, live metrics on, --record-every 10:     $liverec s"
echo "ratio recording (float) adds $(pct "$plain" "$rec")% to training alone (target < 10%)"
echo "ratio recording (half) adds $(pct "$plain" "$half")% to training alone (target < 10%)"
echo "ratio recording (float) adds $(pct "$live" "$liverec")% with the live metrics on (target < 10%)"
echo "ratio recording (float) adds $(pct "$one" "$onerec")% to training on one BLAS thread (target < 10%)"
