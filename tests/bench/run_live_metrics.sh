#!/bin/sh
# Cost of the live per-epoch metrics on training: 20 epochs of the default MLP
# headless, best of 3 wall times each, with the weight-graph Q (target:
# < 20% added to epoch time; by Louvain, the default, and by Leiden,
# --q-method leiden) and the windowed multilayer flexibility
# switched off and on. The hooks share one metrics thread beside
# training, so training only waits when they take longer than an epoch.
: "${NEUROTOP:=./neurotop}"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. tests/bench/wall_lib.sh
one_run() { "$NEUROTOP" train --headless --epochs 20 --save-every 0 --runs "$T/r$REP" "$@"; }
best() { best_wall one_run "$@"; }
# One untimed run first: the first start pays for cold caches and page-ins.
"$NEUROTOP" train --headless --epochs 2 --save-every 0 --runs "$T/warm" >/dev/null || exit 1
none=$(best --qreps 0 --flexreps 0)
q=$(best --flexreps 0)
qleiden=$(best --flexreps 0 --q-method leiden)
flex=$(best --qreps 0)
flex5=$(best --qreps 0 --flexreps 5)
all=$(best)
echo "result 20 epochs, Q off, flexibility off (FC/entropy/moments on): $none s"
echo "result 20 epochs, Q at its default (3 runs), flexibility off:    $q s"
echo "result 20 epochs, Q by Leiden (--q-method leiden), flexibility off: $qleiden s"
echo "result 20 epochs, Q off, flexibility at its default (1 run):      $flex s"
echo "result 20 epochs, Q off, flexibility 5 runs:                      $flex5 s"
echo "result 20 epochs, every per-epoch metric at its default:          $all s"
echo "ratio per-epoch Q adds $(pct "$none" "$q")% to training time (target < 20%)"
echo "ratio per-epoch Q by Leiden adds $(pct "$none" "$qleiden")% to training time (target < 20%)"
echo "ratio per-epoch Q adds $(pct "$flex" "$all")% beside the live flexibility (one metrics thread)"
echo "ratio live flexibility (1 run) adds $(pct "$none" "$flex")% to training time"
