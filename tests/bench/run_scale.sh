#!/bin/sh
# What the live per-epoch metrics cost as the MLP widens (issue 17's scale
# goals: at 784-1000-1000-10 every per-epoch metric together within one
# training epoch, peak resident under 500 MB). For H = 100, 300 and 1000
# hidden units per layer: 22 epochs of 2,000 examples (so the live
# flexibility holds its 20 epochs), CPU seconds (user + system) of training
# alone (--probe 0, no live metric), of training with the activity measures
# (FC, entropy, moments: --qreps 0 --flexreps 0), with the live Q added
# (--flexreps 0), with the flexibility added (--qreps 0), and with every
# metric at its default, plus each one's peak resident set. Costs are per
# epoch, beside a full training epoch (8,000 examples, 4 × the measured
# epoch). Then the approximation of --live-units (an even sample of the
# hidden units) against every unit at H = 300: the mean over the last 5
# epochs of fc_mean and flex_system (means over pairs and units, so a sample
# estimates them; entropy_nats is the entropy of the sampled units' joint
# distribution and is not comparable).
: "${NEUROTOP:=./neurotop}"
[ -x /usr/bin/time ] || { echo "SKIP: run_scale: /usr/bin/time missing (Debian package time)"; exit 0; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
E=22
# run NAME H OPTIONS...: prints "cpu_seconds peak_kb" of one headless run.
run() {
    name=$1 h=$2
    shift 2
    /usr/bin/time -f "%U %S %M" -o "$T/$name.time" "$NEUROTOP" train --headless --epochs $E --epoch-size 2000 \
        --hidden "$h,$h" --save-every 0 --runs "$T/$name" "$@" >/dev/null 2>&1 || return 1
    awk '{ printf "%.2f %d\n", $1 + $2, $3 }' "$T/$name.time"
}
echo "hidden  train s/ep  +activity  +Q  +flex  all  (s per epoch; train = 2,000 ex)  full train epoch  peak MB all"
for h in 100 300 1000; do
    set -- $(run train$h $h --probe 0 --qreps 0 --flexreps 0) ; tr=$1
    set -- $(run act$h $h --qreps 0 --flexreps 0) ; act=$1
    set -- $(run q$h $h --flexreps 0) ; q=$1
    set -- $(run flex$h $h --qreps 0) ; fl=$1
    set -- $(run all$h $h) ; all=$1 peak=$2
    awk -v h="$h" -v tr="$tr" -v act="$act" -v q="$q" -v fl="$fl" -v all="$all" -v peak="$peak" -v e=$E 'BEGIN {
        printf "result scale H=%s train %.3f activity %+.3f q %+.3f flex %+.3f all_metrics %+.3f s/epoch; full training epoch %.2f s; metrics/epoch ratio %.2f; peak %.0f MB\n",
            h, tr / e, (act - tr) / e, (q - act) / e, (fl - act) / e, (all - tr) / e, 4 * tr / e, (all - tr) / (4 * tr), peak / 1024 }'
done
# Samples of a quarter (150) and of half (300) of the 600 hidden units at
# H = 300 against every unit. (A quarter is what the default 512 takes of
# 784-1000-1000-10's 2,000.)
"$NEUROTOP" train --headless --epochs $E --epoch-size 2000 --hidden 300,300 --save-every 0 --qreps 0 \
    --live-units 0 --runs "$T/exact" >/dev/null 2>&1 || exit 1
for units in 150 300; do
    "$NEUROTOP" train --headless --epochs $E --epoch-size 2000 --hidden 300,300 --save-every 0 --qreps 0 \
        --live-units $units --runs "$T/sample$units" >/dev/null 2>&1 || exit 1
done
last5() { tail -n 5 "$1"/*/metrics.jsonl | tr ',{}' '\n\n\n' | awk -F: -v k="\"$2\"" '$1 == k && $2 != "null" { s += $2; n++ } END { if (n) printf "%.6f", s / n }'; }
for key in fc_mean flex_system; do
    for units in 150 300; do
        a=$(last5 "$T/exact" $key) b=$(last5 "$T/sample$units" $key)
        awk -v k=$key -v u=$units -v a="$a" -v b="$b" 'BEGIN { if (a == "" || b == "") { print "result approx " k ": missing"; exit }
            printf "result approx %s every unit %.4f, %s-unit sample %.4f, relative error %.1f%%\n", k, a, u, b, 100 * (b - a) / (a < 0 ? -a : a) }'
    done
done
