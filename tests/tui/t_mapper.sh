# :mapper on a replayed run at 80x24: the incoming weight vectors of a
# layer, filtered by their L2 norm, drawn as a layered tree.
SUITE=tui-mapper
. tests/cli/lib.sh
. tests/tui/lib.sh
export LANG=C.UTF-8
# Results of shipped runs go to a per-user cache: keep it in the test folder.
export XDG_CACHE_HOME="$TMPD/cache"

start_tui 80 24 replay sample-runs/mlp-mnist
expect_screen "epoch 0 of" "the replay opens"
keys End
keys ":mapper 3 norm 4 0.3 5" Enter
expect_screen "Mapper · epoch" ":mapper runs on the output layer"
expect_screen "output: incoming weight vectors of 10 units" ":mapper names the layer and its units"
expect_screen "4 intervals · overlap 0.3 · single linkage eps 5" ":mapper echoes its settings"
expect_screen "10 vertices · 0 edges · 10 components · 0 cycles" ":mapper counts components and cycles"
expect_screen "a forest: 0 leaves · 0 branching vertices" ":mapper says a forest"
expect_screen "v0(" ":mapper draws the vertices"
case "$(screen)" in *nan*) fail ":mapper prints nan"; screen ;; *) pass ;; esac
keys Escape
keys ":mapper 1 pca1 5 0.5 12" Enter
expect_screen "HL1: incoming weight vectors of 100 units" ":mapper on HL1 with a PCA filter"
expect_screen "filter pca1" ":mapper says its filter"
keys Escape
keys ":mapper 2 norm 0 0.3" Enter
expect_screen "intervals" ":mapper rejects 0 intervals in one sentence"
keys Escape
keys ":mapper 1 norm 5 1.5" Enter
expect_screen "not '1.5'" ":mapper rejects an overlap of 1.5"
keys q
finish
