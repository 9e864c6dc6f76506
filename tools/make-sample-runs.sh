#!/bin/sh
# Records the small runs shipped in sample-runs/ (run once; the output is
# committed). Each stays under a few MB: metrics every epoch, weights every
# few epochs (the replay shows the nearest earlier weights in between).
set -eu
NEUROTOP=${NEUROTOP:-./neurotop}
OUT=${1:-sample-runs}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Replace a sample run by a fresh recording, keeping its hand-written README
# and lessons.
install_run() {
    src=$1
    dst=$2
    mkdir -p "$tmp/keep"
    for f in "$dst"/README.md "$dst"/*.lesson; do
        [ -f "$f" ] && cp "$f" "$tmp/keep/"
    done
    rm -rf "$dst"
    mkdir -p "$(dirname "$dst")"
    mv "$src" "$dst"
    rm -rf "$dst/analyses" "$dst/exports"
    mkdir -p "$dst/analyses"
    for f in "$tmp"/keep/*; do
        [ -f "$f" ] && mv "$f" "$dst/"
    done
    du -sh "$dst"
}

# The default MLP on the bundled digits from epoch 0 in steps of 500 examples:
# Q rises slowly while accuracy first climbs, then goes on rising (seed paper
# 000); 5 Louvain runs per epoch give the spread the phase tests need.
"$NEUROTOP" train --headless --epochs 40 --epoch-size 500 --save-every 5 --probe 500 \
    --qreps 5 --seed 1 --runs "$tmp/mlp" >/dev/null
install_run "$(ls -d "$tmp"/mlp/*-mlp)" "$OUT/mlp-mnist"

# HebbFF on continual familiarity with the defaults (seed paper 001) but the
# hidden activity after the sigmoid, as its README describes: the hidden
# correlations collapse to one community while eta grows (epochs 1-8), then
# accuracy passes 90% and the modules come back.
"$NEUROTOP" train --headless --model hebbff --epochs 60 --save-every 2 --seed 0 --activity post \
    --runs "$tmp/hebbff" >/dev/null
install_run "$(ls -d "$tmp"/hebbff/*-hebbff)" "$OUT/hebbff-familiarity"
