# The functional-network panes and commands (flexibility,
# entropy, :flex, :allegiance, :fc, :moments), in a real terminal.
SUITE=tui-activity
. tests/cli/lib.sh
. tests/tui/lib.sh
export LANG=C.UTF-8
# Results of shipped runs go to a per-user cache: keep it in the test folder.
export XDG_CACHE_HOME="$TMPD/cache"

# The MLP's live flexibility is over the last L epochs (20 by default).
start_tui 120 40 --paused --epoch-size 1000 --probe 200 --runs "$TMPD/runs"
expect_screen "Flexibility · 20 epochs, best of 1" "flexibility pane with its slices at 120x40"
expect_screen "needs 20 consecutive epochs, 1 so far" "the flexibility says why it is undefined"
expect_screen "Entropy · Gaussian" "entropy pane at 120x40"
expect_screen "H -" "the entropy value is shown"
# 200 items for 200 units: Σ has rank < 200, so the ridge is needed and said.
expect_screen "ridge 1e-6 used" "the entropy pane says when the ridge was needed"
keys : s e t Space f l e x r e p s Space 3 Enter
expect_screen "best of 3 Louvain runs" ":set flexreps 3 is acknowledged"
keys n
expect_screen "20 epochs, best of 3" "the next epoch uses 3 runs"
keys : s e t Space w i n d o w s Space 2 Enter
expect_screen "2 slices (epochs, or windows of a stream) from the next epoch" ":set windows 2 is acknowledged"
keys n
expect_screen "2 epochs, best of 3" "the next epoch uses the last 2 epochs"
expect_screen "flex 0." "with 2 epochs the flexibility is shown"

keys : f l e x Enter
expect_screen "multilayer Q" ":flex shows its result"
expect_screen "system flexibility" ":flex reports the system flexibility"
expect_screen "allegiance, units by module" ":flex draws the allegiance map"
expect_screen "HL1+HL2 (200 units)" ":flex uses every hidden layer by default"
keys Escape
keys : a l l e g i a n c e Enter
expect_screen "mean allegiance" ":allegiance shows the allegiance of the last :flex"
keys Escape
keys : f c Enter
expect_screen "histogram of r" ":fc shows the histogram of r"
expect_screen "r by module, clipped" ":fc draws the correlation heat map"
# The three rows under the map's label hold heat cells (signed shades).
screen | grep -A3 'r by module, clipped' | tail -3 | cut -c50- | grep -q '[-=%+#▀]' && pass ||
    fail ":fc heat map cells are drawn"
keys Escape
keys : m o m e n t s Enter
expect_screen "Activation moments" ":moments shows the per-layer table"
expect_screen "all hidden" ":moments has the all-hidden row"
keys Escape
keys : f l e x Space 2 Space 3 Space 0 . 5 Space 1 Space - - r e g r e s s - m e a n Enter
expect_screen "HL2 (100 units)" ":flex 2 uses HL2 only"
expect_screen "epochs 0–2, 200 items each" ":flex 2 3 uses the epochs 0 to 2"
expect_screen "mean activation regressed out" ":flex --regress-mean regresses out the mean"
keys Escape
keys : f l e x Space a l l Space 5 Space - - s l i c e s Space p r o b e Enter
expect_screen "5 windows of 40" ":flex --slices probe uses windows of the probe items"
expect_screen "subsamples" ":flex --slices probe says the MLP's windows are no time"
keys Escape
keys : f l e x Space a l l Space 4 Enter
expect_screen "too few for 4 slices" "more epochs than the run has is one line"
keys : f l e x Space 3 Enter
expect_screen "no hidden layer 3" "a missing layer is one line"
keys : f l e x Space 1 Space 1 Enter
expect_screen "L (slices: epochs or windows of the probe) must be" "one slice is refused"

tm resize-window -t t -x 80 -y 24 2>/dev/null || tm resize-pane -t t -x 80 -y 24
expect_screen "Receptive" "80x24 still shows the grid (receptive fields)"
screen | grep -q "Accuracy" && pass || fail "80x24 shows accuracy in the grid"
screen | grep -q "Entropy ·" && fail "80x24 keeps the optional panes out of the grid" || pass
keys : z o o m Space e n t r o p y Enter
expect_screen "Entropy ·" "at 80x24 the entropy pane is shown alone when chosen"
keys Escape Tab
tm resize-window -t t -x 200 -y 60 2>/dev/null || tm resize-pane -t t -x 200 -y 60
expect_screen "Entropy" "200x60 shows the grid"
keys : z o o m Space f l e x i b i l i t y Enter
expect_screen "━ mean r  ━ |r|" "zoomed: mean r beside Q in the flexibility pane"
expect_screen "communities" "zoomed: the community count over epochs"
keys : z o o m Space e n t r o p y Enter
expect_screen "skew " "zoomed entropy pane: skewness and kurtosis"

keys q
code=$(wait_exit)
[ "$code" = "EXITED:0" ] && pass || fail "q exits 0 (got '$code')"
run=$(ls -d "$TMPD"/runs/*-mlp)
ls "$run"/analyses/epoch-*-flex-*.json >/dev/null 2>&1 && pass || fail "the :flex result is saved under analyses/"
ls "$run"/analyses/epoch-*-fc-*.json >/dev/null 2>&1 && pass || fail "the :fc result is saved under analyses/"
grep -q '"partitions":\[\[' "$run"/analyses/epoch-*-flex-*.json && pass || fail ":flex saves the multilayer partition"
for k in flex_system flex_q flex_communities fc_mean fc_mean_abs entropy_nats entropy_ridge act_mean act_std \
    act_skew act_kurt; do
    grep -q "\"$k\":" "$run/metrics.jsonl" && pass || fail "metrics.jsonl has $k"
done
grep -q '"flex_reps":3' "$run/metrics.jsonl" && pass || fail ":set flexreps reached the metrics"
grep -q '"flex_epochs":2,"flex_epochs_held":2' "$run/metrics.jsonl" && pass || fail ":set windows reached the metrics"

finish
