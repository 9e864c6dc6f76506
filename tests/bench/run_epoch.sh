#!/bin/sh
# Cost of the per-epoch modularity Q (issue 3 target: < 20% added to epoch
# time at default settings). Trains 20 epochs of the default MLP headless with
# the live Q off and at its default (3 Louvain runs on the whole graph and on
# the hidden subgraph, on the metrics thread), best of 3 wall times each;
# once with the live flexibility off (Q's own cost) and once with every live
# metric on (they share the one metrics thread).
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
# Q alone (the live flexibility off), then with every live metric at its default.
off=$(best --qreps 0 --flexreps 0)
on=$(best --flexreps 0)
all_off=$(best --qreps 0)
all_on=$(best)
echo "result 20 epochs, live Q off, flexibility off:  $off s"
echo "result 20 epochs, live Q on (qreps 3):          $on s"
echo "result 20 epochs, all live metrics but Q:       $all_off s"
echo "result 20 epochs, all live metrics (defaults):  $all_on s"
awk -v a="$off" -v b="$on" 'BEGIN { printf "ratio per-epoch Q adds %.1f%% to training time (target < 20%%)\n", 100 * (b - a) / a }'
awk -v a="$all_off" -v b="$all_on" 'BEGIN { printf "ratio per-epoch Q adds %.1f%% with every other live metric on (one metrics thread)\n", 100 * (b - a) / a }'
