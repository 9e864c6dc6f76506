# Replay of a HebbFF run: the familiarity task is regenerated from run.json's
# task_* keys and the seed, so the probe activations (and :fc on them) are
# the live run's.
SUITE=tui-hebbff-replay
. tests/cli/lib.sh
. tests/tui/lib.sh
export LANG=C.UTF-8
# Results of shipped runs go to a per-user cache: keep it in the test folder.
export XDG_CACHE_HOME="$TMPD/cache"

"$NEUROTOP" train --headless --model hebbff --task-n 16 --task-train 200 --task-test 100 --hidden 8 \
    --epochs 3 --seed 4 --runs "$TMPD/runs" >/dev/null 2>&1
run=$(ls -d "$TMPD"/runs/*-hebbff)
# Mean correlation of the hidden units at epoch 3, as the live hook measured it.
r3=$(sed -n 4p "$run/metrics.jsonl" | tr ',' '\n' | awk -F: '$1=="\"fc_mean\"" {printf "%+.4f", $2}')
if [ -n "$r3" ]; then pass; else fail "the live run recorded fc_mean"; fi

start_tui 110 34 replay "$run"
expect_screen "familiarity" "the data set in the status line"
keys End
expect_screen "epoch 3 of 3" "End jumps to the last epoch"
keys : f c Enter
expect_screen "Correlations · HL1 (8 units) · epoch 3" ":fc runs on the replayed epoch"
expect_screen "over 100 probe items" "the probe is the regenerated test stream"
expect_screen "mean r $r3" "the replayed activations give the live mean r ($r3)"

finish
