# The deep belief network in a real terminal (tmux) at 80x24: the status line
# names the RBM training, the Accuracy pane shows the reconstruction error
# and the free-energy gap, the other panes draw; stepping past the first
# RBM's epochs moves the status line to the second; a bad --layers is one
# line on stderr and exit 2.
SUITE=tui-dbn
. tests/cli/lib.sh
. tests/tui/lib.sh

export LANG=C.UTF-8
export XDG_CACHE_HOME="$TMPD/cache"
start_tui 80 24 --model dbn --paused --epochs-per-layer 1 --epoch-size 500 --probe 50 --runs "$TMPD/runs"
expect_screen "PAUSED" "starts paused"
expect_screen "RBM 1/2 784-200" "the status line names the first RBM"
expect_screen "recon " "the Accuracy pane shows the reconstruction error"
expect_screen "FE gap" "the Accuracy pane shows the free-energy gap"
expect_screen "Weights" "weights pane at 80x24"
expect_screen "Receptive" "receptive-field pane at 80x24"
expect_screen "Modularity" "modularity pane at 80x24"
case "$(screen)" in *"acc "*) fail "no accuracy for a DBN" ;; *) pass ;; esac

keys n
expect_screen "epoch 1" "n trains one epoch"
expect_screen "RBM 2/2 200-200" "after the first RBM's epoch the second trains"
keys n
expect_screen "epoch 2" "a second n"
expect_screen "RBM 2" "the Accuracy pane names the RBM that trained"
keys l
expect_screen "HL2" "l shows the receptive fields of the top layer (weight products)"
keys q
code=$(wait_exit)
[ "$code" = "EXITED:0" ] && pass || fail "q exits with status 0 (got '$code')"
stop_tui

expect_exit 2 "a zero layer" -- "$NEUROTOP" train --headless --model dbn --layers 784,0 --runs "$TMPD/runs"
expect_one_line_error "--layers 784,0"
expect_exit 2 "CD-0" -- "$NEUROTOP" train --headless --model dbn --cd 0 --runs "$TMPD/runs"
expect_one_line_error "--cd 0"
expect_exit 2 "wrong input size" -- "$NEUROTOP" train --headless --model dbn --layers 100,20 --runs "$TMPD/runs"
expect_one_line_error "--layers 100,20"
expect_exit 2 "absurd sizes" -- "$NEUROTOP" train --headless --model dbn --layers 784,100000,100000,100000 --runs "$TMPD/runs"
expect_one_line_error "absurd --layers"

# Headless: two epochs, the metrics line carries the DBN's numbers.
expect_exit 0 "headless dbn" -- "$NEUROTOP" train --headless --model dbn --layers 784,50,20 --epochs 2 --epoch-size 300 --probe 20 --runs "$TMPD/runs"
expect_contains "$OUT" "test_recon" "headless lines show the reconstruction error"
line=$(tail -n 1 "$TMPD"/runs/*-dbn/metrics.jsonl)
expect_contains "$line" '"fe_gap":' "metrics.jsonl has the free-energy gap"
expect_contains "$line" '"rbm":' "metrics.jsonl names the RBM"
finish
