#!/bin/sh
# Issue 16's budget for one stimulus set: LeNet's 19,694 neurons localised
# from 10,000 GAUSSIAN images in under 1 minute on 2 cores with under 2.5 GB
# resident. Runs `neurotop experiment lenet-localization` (one training
# epoch first) under /usr/bin/time -v and prints the analysis seconds (the
# experiment's own split, training left out) and the peak RSS with their
# ratios to the budget. Skips while the lenet model kind is not built in.
: "${NEUROTOP:=./neurotop}"
if [ ! -x /usr/bin/time ]; then
    echo "SKIP: run_localize: /usr/bin/time missing (Debian package time)"
    exit 0
fi
if ! "$NEUROTOP" train --help 2>/dev/null | grep -q lenet; then
    echo "SKIP: run_localize: this neurotop has no lenet model"
    exit 0
fi
TMP=$(mktemp -d /tmp/neurotop-bench-loc-XXXXXX) || exit 1
trap 'rm -rf "$TMP"' EXIT
/usr/bin/time -v "$NEUROTOP" experiment lenet-localization --epochs 1 --sets GAUSSIAN \
    --images 10000 --threads 2 --runs "$TMP/runs" >"$TMP/out" 2>"$TMP/time" || {
    echo "(run_localize: the experiment failed)"; tail -3 "$TMP/time"; exit 0; }
grep -A2 '^seconds' "$TMP/out"
rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$TMP/time")
secs=$(awk '/^GAUSSIAN/ && NF == 8 { s = 0; for (i = 2; i <= 8; i++) s += $i; print s }' "$TMP/out")
echo "result localize_10k_seconds  ${secs:-?} s (responses to distances)"
echo "result localize_10k_peak_rss $(awk -v k="$rss" 'BEGIN { printf "%.2f", k / 1e6 }') GB (whole process, training included)"
[ -n "$secs" ] && echo "ratio localize_10k_seconds/60s $(awk -v s="$secs" 'BEGIN { printf "%.2f", s / 60 }')"
echo "ratio localize_10k_rss/2.5GB  $(awk -v k="$rss" 'BEGIN { printf "%.2f", k / 1e6 / 2.5 }')"
