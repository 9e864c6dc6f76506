# The modularity pane and its `:` analyses, in a real terminal.
SUITE=tui-modularity
. tests/cli/lib.sh
. tests/tui/lib.sh
export LANG=C.UTF-8
# Results of shipped runs go to a per-user cache: keep it in the test folder.
export XDG_CACHE_HOME="$TMPD/cache"

start_tui 104 30 --paused --epoch-size 1000 --probe 50 --runs "$TMPD/runs"
expect_screen "Modularity Q" "modularity pane at 104x30 (six panes in a 3x2 grid)"
expect_screen "best of 3" "the live Q setting is shown"
keys : s e t Space q r e p s Space 5 Enter
expect_screen "best of 5 Louvain runs" ":set qreps 5 is acknowledged"
keys n
expect_screen "epoch 1/100" "n trains one epoch"
expect_screen "best of 5" "the next epoch uses 5 runs"

keys : l o u v a i n Space 1 2 Enter
expect_screen "Q best" ":louvain shows its result"
expect_screen "module  size" ":louvain lists the modules per layer"
keys Escape
keys : r o l e s Enter
expect_screen "mean PC" ":roles shows the per-layer means"
expect_screen "PC over the input pixels" ":roles draws the 28x28 PC map"
keys Escape
keys : d e g r e e s Space 0 . 5 Enter
expect_screen "r(str,deg)" ":degrees shows the per-layer table"
keys Escape
keys : m o d u l e s Enter
expect_screen "partition: :louvain 12 · epoch" ":modules uses the latest partition of the shown epoch"
keys Escape
keys : l o u v a i n Space 6 Space l e i d e n Space i t e r a t e Enter
expect_screen "Leiden, iterated · weight graph" ":louvain 6 leiden iterate runs Leiden, iterated"
keys Escape
keys : c o n s e n s u s Space 1 0 0 0 0 0 Enter
expect_screen "Esc cancels" "a long job shows its progress"
keys Escape
expect_screen "cancelled" "Esc cancels the job"
keys : c o n s e n s u s Space 2 0 Space h i d d e n Enter
expect_screen "Consensus · hidden subgraph, 210 nodes" ":consensus on the hidden subgraph"
keys Escape
keys : m o d u l e s Enter
expect_screen "Modules · epoch" ":modules follows the hidden-subgraph partition"
keys Escape
keys : l o u v a i n Space x Enter
expect_screen "R (Louvain runs, the best reported) must be" "a bad :louvain argument is one line"
keys r
expect_screen "module  size" "r shows the last result again"
keys Escape q
code=$(wait_exit)
[ "$code" = "EXITED:0" ] && pass || fail "q exits 0 (got '$code')"
run=$(ls -d "$TMPD"/runs/*-mlp)
ls "$run"/analyses/epoch-*-louvain-*.json >/dev/null 2>&1 && pass || fail "the :louvain result is saved under analyses/"
ls "$run"/analyses/epoch-*-roles-*.json >/dev/null 2>&1 && pass || fail "the :roles result is saved under analyses/"
grep -q '"q_hidden":' "$run/metrics.jsonl" && pass || fail "metrics.jsonl has q_hidden"
grep -q '"modules_whole":' "$run/metrics.jsonl" && pass || fail "metrics.jsonl has modules_whole"
grep -q '"q_reps":5' "$run/metrics.jsonl" && pass || fail ":set qreps reached the metrics"

finish
