#!/bin/sh
# Cost of the issue-4 per-epoch metrics (metrics_activity.h) on training:
# 20 epochs of the default MLP headless, best of 3 wall times, with the
# windowed multilayer flexibility off (--flexreps 0: whole-probe FC, entropy
# and moments only, ~10 ms an epoch) and at its default (1 Louvain run on
# 200 units × 20 windows), with the weight-graph Q off so the difference is
# ours, then everything at the defaults. The hooks run on the metrics thread
# beside training, so training only waits when they take longer than an epoch.
: "${NEUROTOP:=./neurotop}"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
best() {
    b=""
    for i in 1 2 3; do
        s=$(date +%s.%N)
        "$NEUROTOP" train --headless --epochs 20 --save-every 0 --runs "$T/r$i" "$@" >/dev/null || return 1
        e=$(date +%s.%N)
        b=$(awk -v s="$s" -v e="$e" -v b="$b" 'BEGIN { t = e - s; if (b == "" || t < b) b = t; printf "%.3f", b }')
    done
    echo "$b"
}
off=$(best --qreps 0 --flexreps 0)
on=$(best --qreps 0)
qonly=$(best --flexreps 0)
all=$(best)
five=$(best --qreps 0 --flexreps 5)
echo "result 20 epochs, Q off, flexibility off (FC/entropy/moments on): $off s"
echo "result 20 epochs, Q off, flexibility at its default (1 run):      $on s"
echo "result 20 epochs, Q off, flexibility 5 runs:                      $five s"
echo "result 20 epochs, Q at its default (3 runs), flexibility off:    $qonly s"
echo "result 20 epochs, every per-epoch metric at its default:          $all s"
awk -v a="$off" -v b="$on" 'BEGIN { printf "ratio live flexibility (1 run) adds %.1f%% to 20 epochs of training\n", 100 * (b - a) / a }'
