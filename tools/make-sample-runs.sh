#!/bin/sh
# Records the small runs shipped in sample-runs/ (run once; the output is
# committed). Each stays under a few MB: metrics every epoch, weights every
# few epochs (the replay shows the nearest earlier weights in between).
set -eu
NEUROTOP=${NEUROTOP:-./neurotop}
OUT=${1:-sample-runs}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The default MLP on the bundled digits from epoch 0 in steps of 500 examples:
# Q flat while accuracy first rises, then rising with it (seed paper 000).
"$NEUROTOP" train --headless --epochs 40 --epoch-size 500 --save-every 5 --probe 500 \
    --qreps 5 --seed 1 --runs "$tmp/mlp" >/dev/null
rm -rf "$OUT/mlp-mnist"
mkdir -p "$OUT"
mv "$tmp"/mlp/*-mlp "$OUT/mlp-mnist"
rmdir "$OUT/mlp-mnist/analyses" 2>/dev/null || true
mkdir -p "$OUT/mlp-mnist/analyses"
du -sh "$OUT/mlp-mnist"

# HebbFF on continual familiarity with the defaults (seed paper 001): the
# hidden correlations collapse to one community while eta grows (epochs 1-8),
# then accuracy passes 90% and the modules come back.
"$NEUROTOP" train --headless --model hebbff --epochs 60 --save-every 2 --seed 0 \
    --runs "$tmp/hebbff" >/dev/null
rm -rf "$OUT/hebbff-familiarity"
mv "$tmp"/hebbff/*-hebbff "$OUT/hebbff-familiarity"
rmdir "$OUT/hebbff-familiarity/analyses" 2>/dev/null || true
mkdir -p "$OUT/hebbff-familiarity/analyses"
du -sh "$OUT/hebbff-familiarity"
