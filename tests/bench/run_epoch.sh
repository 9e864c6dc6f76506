#!/bin/sh
# Cost of the per-epoch modularity Q (issue 3 target: < 20% added to epoch
# time at default settings). Trains 20 epochs of the default MLP headless with
# the live Q off and at its default (3 Louvain runs on the whole graph and on
# the hidden subgraph, on the metrics thread), best of 3 wall times each.
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
off=$(best --qreps 0)
on=$(best)
on10=$(best --qreps 10)
echo "result 20 epochs, live Q off:             $off s"
echo "result 20 epochs, live Q (qreps 3):       $on s"
echo "result 20 epochs, live Q (qreps 10):      $on10 s"
awk -v a="$off" -v b="$on" 'BEGIN { printf "ratio per-epoch Q adds %.1f%% to training time (target < 20%%)\n", 100 * (b - a) / a }'
